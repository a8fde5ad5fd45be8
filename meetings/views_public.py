"""The meeting page (public and members alike, each seeing what they are entitled to) and papers.

Every decision about what shows goes through `meetings.access`; this module only lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render

from icp_secretariat.lib.public_cache import public_page
from meetings import access
from meetings import services_agenda as services
from meetings.models import AgendaItem, Meeting, Paper, Part
from meetings.papers import open_paper
from meetings.selectors_record import meeting_record_for
from meetings.structured_data import meeting_json_ld


@dataclass
class ItemRow:
    """One agenda line as this reader may see it."""

    number: int
    part: int
    full: bool  # False: a Part 2 item shown only by its public description and ground
    item: AgendaItem
    papers: list[Paper] = field(default_factory=list)
    earlier: list[Paper] = field(default_factory=list)


def meeting_rows(user, meeting: Meeting) -> list[ItemRow]:
    """The agenda as `user` may read it, in a fixed number of queries."""
    parts = access.item_visible_parts(user, meeting)
    if not parts:
        return []
    items = list(
        AgendaItem.objects.filter(agenda__meeting=meeting)
        .select_related("lead_organisation", "part2_ground")
        .order_by("number")
    )
    papers_by_item: dict[int, list[Paper]] = {}
    for paper in access.visible_papers(user, meeting).defer("text").order_by("pk"):
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
    return rows


def _meeting_page(request, meeting: Meeting):
    user = request.user
    rows = meeting_rows(user, meeting)
    acc = access.committee_access(user, meeting.committee_id)
    dispatched = access.is_dispatched(meeting)
    compliance = services.dispatch_compliance(meeting)
    ctx = {
        "meeting": meeting,
        "rows": rows,
        "part1": [r for r in rows if r.part == Part.PUBLIC],
        "part2": [r for r in rows if r.part == Part.PRIVATE],
        "can_see_part2": access.can_see_part2(user, meeting),
        "dispatched": dispatched,
        "access": acc,
        "can_request": acc.member and meeting.status != Meeting.Status.CANCELLED,
        "compliance": compliance if dispatched else None,
        "papers_deadline": compliance.deadline,
        **meeting_record_for(user, meeting),
        "json_ld": meeting_json_ld(
            meeting, show_place=meeting.is_public or access.can_see_part2(user, meeting)
        ),
    }
    return render(request, "meetings/public_meeting.html", ctx)


@public_page
def meeting(request, slug: str, meeting_id: int):
    meeting = access.get_meeting_for_user(request.user, meeting_id)
    if meeting.committee.slug != slug:
        raise Http404("No such meeting")
    return _meeting_page(request, meeting)


@login_required
def my_meeting(request, meeting_id: int):
    """The same page under the members' area (links in emails point here)."""
    return _meeting_page(request, access.get_meeting_for_user(request.user, meeting_id))


def paper(request, public_id, filename: str = ""):
    """Open a paper in the browser, after the access check; Part 2 opens are logged."""
    paper = access.get_paper_for_user(request.user, public_id)
    services.log_paper_download(paper=paper, user=request.user)
    try:
        fh = open_paper(paper)
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    name = paper.original_name or "paper.pdf"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    response = FileResponse(fh, content_type="application/pdf", as_attachment=False, filename=name)
    if paper.item.part == Part.PRIVATE or not paper.item.agenda.meeting.is_public:
        response["Cache-Control"] = "private, no-store"
    else:
        response["Cache-Control"] = "private, max-age=0"
    response["X-Content-Type-Options"] = "nosniff"
    return response
