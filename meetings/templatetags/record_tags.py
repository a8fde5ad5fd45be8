"""Template pieces of the meeting record that other pages include with one line: the forward
plan offered on the agenda builder, the annual cycle on the committee dashboard."""

from __future__ import annotations

from django import template
from django.utils import timezone

from icp_secretariat.lib.text import text_to_html
from meetings.forward_plan.services import annual_cycle
from meetings.minutes.part2_review import reviews_due
from meetings.models import ForwardPlanItem

register = template.Library()


@register.filter
def minutes_html(text: str):
    return text_to_html(text)


@register.filter
def text_rows(text: str, width: int = 80) -> int:
    """Rows for a textarea to show all of `text` without scrolling (lines of about `width`
    characters, at least 4, at most 60), so a box opens as tall as its text even without the
    CSS `field-sizing` or script that keep it growing while someone types."""
    lines = str(text or "").splitlines() or [""]
    rows = sum(max(1, -(-len(line) // int(width))) for line in lines) + 1
    return max(4, min(rows, 60))


@register.inclusion_tag("meetings/record_forward_plan_offer.html", takes_context=True)
def forward_plan_offer(context, meeting):
    topics = list(
        ForwardPlanItem.objects.filter(meeting=meeting, agenda_item__isnull=True)
        .select_related("agreed_by", "lead_organisation")
        .order_by("pk")
    )
    return {"meeting": meeting, "topics": topics, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("meetings/record_annual_cycle.html")
def annual_cycle_panel(committee):
    today = timezone.localdate()
    return {
        "committee": committee,
        "entries": [(e, e.state(today)) for e in annual_cycle(committee, today)],
    }


@register.inclusion_tag("meetings/part2_reviews_due.html")
def part2_reviews_due(committees):
    """The line the secretariat sees when Part 2 items are due for review (issue 19)."""
    if hasattr(committees, "pk"):  # one committee
        committees = [committees]
    ids = [c.pk for c in committees]
    due = {}
    for item in reviews_due().filter(agenda__meeting__committee_id__in=ids):
        committee = item.agenda.meeting.committee
        due.setdefault(committee.pk, [committee, 0])[1] += 1
    return {"due": list(due.values())}


@register.inclusion_tag("meetings/secretariat_due.html", takes_context=True)
def secretariat_due(context, committees):
    """The secretariat dashboard's "Due" list across its committees, most urgent first
    (issue 13); a fixed number of queries (meetings.due)."""
    from meetings.due import secretariat_due as due_for

    return {"lines": due_for(context["request"].user, list(committees))}
