"""Decision notices rendered by Celery (issue 15: nothing slow in a request).

A notice depends on the decision and on the reader (full text, or the public summary of a Part 2
decision). Its inputs are cheap to gather; `notice_key` hashes them, and the rendered PDF is kept
in the private store (`icp_secretariat.lib.files`: PRIVATE_MEDIA_ROOT, or the object store a
deployment of several machines shares) as notices/<key>.pdf, so each variant is rendered once
per content and never overwritten (a changed decision has a new key). The view serves the file
when it exists; otherwise it queues `public_site.render_decision_notice` and shows a page that
polls (htmx).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json

from icp_secretariat.lib import files
from icp_secretariat.lib.pdf import DocumentInput, SectionInput, render_decision_notice_pdf
from icp_secretariat.lib.text import text_to_html
from meetings.models import Decision

RENDERER_VERSION = 1


def notice_input(decision: Decision, *, full: bool) -> DocumentInput:
    text = decision.text if full else decision.public_summary
    heading = (
        decision.item.title
        if full
        else (decision.item.public_description or "Business taken in private")
    )
    details = [("Decision number", decision.number), ("Item", f"{decision.item.number}. {heading}")]
    if decision.method == Decision.Method.VOTE:
        details.append(("Vote", decision.outcome))
    return DocumentInput(
        title=f"Decision notice {decision.number}",
        committee_name=decision.committee.name,
        meeting_date=decision.meeting.date,
        details=details,
        sections=[SectionInput("Decision", str(text_to_html(text)))],
    )


def notice_key(doc: DocumentInput) -> str:
    def default(value):
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)

    payload = json.dumps(
        [RENDERER_VERSION, dataclasses.asdict(doc)], default=default, sort_keys=True
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def notice_name(key: str) -> str:
    """The notice's name in the private store."""
    return f"notices/{key}.pdf"


def render_notice(decision_id: int, full: bool) -> str | None:
    """The task body: render the notice for this variant unless it is already there; returns
    its name in the private store."""
    decision = (
        Decision.objects.select_related("meeting", "item", "committee")
        .filter(pk=decision_id)
        .first()
    )
    if decision is None:
        return None
    doc = notice_input(decision, full=full)
    name = notice_name(notice_key(doc))
    if files.exists(name):
        return name
    pdf = render_decision_notice_pdf(doc)
    try:
        files.save(name, pdf)
    except FileExistsError:  # another worker rendered the same variant meanwhile: same bytes
        pass
    return name
