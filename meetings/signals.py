"""Domain events of meetings. Floors above listen (documents rebuilds the agenda and pack; the
public site alerts subscribers) without meetings knowing them (pretix's `order_placed`).

Receivers run in the sender's transaction: what they write commits or rolls back with the
change, and work for Celery goes through `transaction.on_commit`.
"""

from django.dispatch import Signal

# An agenda's items, papers or state changed. kwargs: meeting_id (int), reason (str).
agenda_changed = Signal()

# The agenda and papers went out to members (the summons). kwargs: meeting, link (absolute URL).
papers_dispatched = Signal()

# Approved minutes were published. kwargs: minutes, meeting, link (absolute URL).
minutes_published = Signal()
