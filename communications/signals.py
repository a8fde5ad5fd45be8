"""Signals of the outbox. Apps above it plan their reminders when the sweep runs, without the
outbox knowing them (pretix's `periodic_task`)."""

from django.dispatch import Signal

# Sent by the periodic sweep inside its transaction, before due mail is enqueued. Receivers plan
# the reminders now due by creating outbox messages; they take no arguments besides `sender`.
outbox_sweep = Signal()
