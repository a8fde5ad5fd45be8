"""The meeting page's content as one reader may see it: the agenda rows, the papers, the
record and the dispatch facts, in a fixed number of queries. The public site and the members'
portal both show it, each under its own address.

Every decision about what shows goes through `meetings.access`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from meetings import access
from meetings.agenda import services
from meetings.conduct.recording import item_moments
from meetings.conduct.selectors import meeting_record_for
from meetings.minutes.previous import MINUTES_KEY, previous_minutes
from meetings.models import AgendaItem, KeyMessages, Meeting, Paper, Part, TakeDown
from meetings.scheduling.selectors import meeting_rules_context


@dataclass
class ItemRow:
    """One agenda line as this reader may see it."""

    number: int
    part: int
    full: bool  # False: a Part 2 item shown only by its public description and ground
    item: AgendaItem
    papers: list[Paper] = field(default_factory=list)
    earlier: list[Paper] = field(default_factory=list)
    moment: str = ""  # the recording at this item's start (Part 1 only)
    removed: list[TakeDown] = field(default_factory=list)  # papers taken down from view
    previous: dict | None = None  # the minutes item: the last meeting's minutes (issue 13)


def page_memo(meeting: Meeting) -> dict | None:
    """What the meeting page has already read, for the blocks on it (the documents block) to
    reuse rather than read again; None outside the page. It lives on the meeting object the
    page was built with, so it lasts one request."""
    return getattr(meeting, "_page_memo", None)


def meeting_rows(user, meeting: Meeting) -> list[ItemRow]:
    """The agenda as `user` may read it, in a fixed number of queries."""
    parts = access.item_visible_parts(user, meeting)
    if not parts:
        return []
    items = list(
        AgendaItem.objects.filter(agenda__meeting=meeting)
        .select_related("lead_organisation", "part2_ground", "supplementary")
        .order_by("number")
    )
    visible = list(access.visible_papers(user, meeting).defer("text", "html").order_by("pk"))
    memo = page_memo(meeting)
    if memo is not None:
        memo["items"] = items
        if not user.is_authenticated:
            # The public's papers: what the public agenda and pack are built from.
            memo["public_papers"] = visible
    papers_by_item: dict[int, list[Paper]] = {}
    for paper in visible:
        papers_by_item.setdefault(paper.item_id, []).append(paper)
    rows = []
    for item in items:
        full = item.part in parts
        papers = papers_by_item.get(item.pk, []) if full else []
        rows.append(
            ItemRow(
                number=item.number,
                part=item.part,
                full=full,
                item=item,
                papers=[p for p in papers if p.is_current],
                earlier=[p for p in papers if not p.is_current],
            )
        )
    _attach_previous_minutes(user, meeting, rows)
    return rows


def _attach_previous_minutes(user, meeting: Meeting, rows: list[ItemRow]) -> None:
    """The "Minutes of the last meeting" item shows the approved minutes of the previous
    meeting as its paper, the version this reader may read (access helpers), or says that they
    are not yet approved."""
    row = next((r for r in rows if r.full and r.item.standard_key == MINUTES_KEY), None)
    if row is None:
        return
    previous = previous_minutes(meeting)
    memo = page_memo(meeting)
    if memo is not None:
        memo["previous_minutes"] = previous  # the documents block attaches the same minutes
    if previous is None:
        return
    link = ""
    if previous.published:
        if access.minutes_visible_to(user, previous.minutes, Part.PRIVATE):
            link = previous.url("members")
        elif access.minutes_visible_to(user, previous.minutes, Part.PUBLIC):
            link = previous.url("public")
    row.previous = {"text": previous.text, "title": previous.title, "link": link}


def published_key_messages(user, meeting: Meeting) -> KeyMessages | None:
    """The latest published version of the meeting's key messages this reader may see."""
    versions = KeyMessages.objects.filter(
        meeting=meeting, state=KeyMessages.State.PUBLISHED
    ).order_by("-version")
    for km in versions:
        km.meeting = meeting
        if access.key_messages_visible_to(user, km):
            return km
    return None


def meeting_page_context(user, meeting: Meeting) -> dict:
    """The template context of `meetings/public_meeting.html` for this reader."""
    meeting._page_memo = {}
    rows = meeting_rows(user, meeting)
    moments = item_moments(meeting) if rows and meeting.webcast_link else {}
    for row in rows:
        if row.full and row.part == Part.PUBLIC:
            row.moment = moments.get(row.item.pk, "")
    # What was taken down: a paper's notice on its (readable) item, the rest under the record.
    removed = list(
        TakeDown.objects.filter(meeting=meeting).select_related("paper").order_by("taken_down_at")
    )
    by_item = {row.item.pk: row for row in rows if row.full}
    for td in removed:
        if td.paper_id and td.paper.item_id in by_item:
            by_item[td.paper.item_id].removed.append(td)
    acc = access.committee_access(user, meeting.committee_id)
    dispatched = access.is_dispatched(meeting)
    compliance = services.dispatch_compliance(meeting)
    today = timezone.localdate()
    held = meeting.date < today
    cancelled = meeting.is_cancelled
    ctx = {
        "meeting": meeting,
        "rows": rows,
        "part1": [r for r in rows if r.part == Part.PUBLIC],
        "part2": [r for r in rows if r.part == Part.PRIVATE],
        "can_see_part2": access.can_see_part2(user, meeting),
        "dispatched": dispatched,
        "access": acc,
        # Both only while the meeting is still to come: no item is asked for, and nobody joins,
        # once it has been held or cancelled.
        "can_request": acc.member and not cancelled and not held,
        # The online joining link is for those who take part (the public watch the webcast).
        "show_online_link": bool(meeting.online_link)
        and (acc.member or acc.staff or acc.guest)
        and not held
        and not cancelled,
        "compliance": compliance if dispatched else None,
        "papers_deadline": compliance.deadline,
        "papers_overdue": compliance.deadline < today,
        **meeting_record_for(user, meeting),
        "key_messages": published_key_messages(user, meeting),
        "removed_record": [td for td in removed if not td.paper_id],
        **meeting_rules_context(meeting),
    }
    return ctx
