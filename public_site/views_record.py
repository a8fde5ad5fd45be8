"""Public pages of the record: the minutes of a meeting (accessible HTML first, then the PDF)
and a committee's decisions register. Everyone sees what `meetings.access` allows: Part 1 in
full, Part 2 decisions as their public summary, Part 2 minutes to Members and Participants only.
"""

from __future__ import annotations

from celery import current_app
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render

from committees.models import Committee
from icp_secretariat.lib import files
from icp_secretariat.lib.params import whole_number
from icp_secretariat.lib.text import text_to_html
from meetings import access
from meetings.conduct.recording import section_moments
from meetings.minutes.tasks import minutes_file
from meetings.models import Decision, Meeting, Minutes, MinutesDocument, Part
from public_site import notices


def _committee(request, slug: str) -> Committee:
    committee = Committee.objects.filter(slug=slug).first()
    if committee is None or not (
        committee.is_active or access.is_secretariat(request.user, committee)
    ):
        raise Http404("No such committee")
    return committee


def _meeting(request, slug: str, meeting_id: int) -> Meeting:
    meeting = access.get_meeting_for_user(request.user, meeting_id)
    if meeting.committee.slug != slug:
        raise Http404("No such meeting")
    return meeting


def _visible_version(request, meeting: Meeting, version: int | None):
    versions = list(
        Minutes.objects.filter(meeting=meeting)
        .select_related("approved_at_item__agenda__meeting")
        .order_by("-version")
    )
    for m in versions:
        m.meeting = meeting
    readable = [m for m in versions if access.minutes_visible_to(request.user, m, Part.PUBLIC)
                or access.minutes_visible_to(request.user, m, Part.PRIVATE)]  # fmt: skip
    if not readable:
        raise Http404("No minutes")
    if version is None:
        chosen = next((m for m in readable if m.is_current), readable[0])
    else:
        chosen = next((m for m in readable if m.version == version), None)
        if chosen is None:
            raise Http404("No such version")
    return chosen, readable


def minutes(request, slug: str, meeting_id: int):
    meeting = _meeting(request, slug, meeting_id)
    raw = request.GET.get("version", "")
    chosen, versions = _visible_version(request, meeting, whole_number(raw))
    part1 = access.minutes_visible_to(request.user, chosen, Part.PUBLIC)
    part2 = access.minutes_visible_to(request.user, chosen, Part.PRIVATE)
    sections = []
    if part1:
        moments = section_moments(meeting)
        sections += [
            {
                "heading": s["heading"],
                "html": text_to_html(s["text"]),
                "part": 1,
                "moment": moments.get(s.get("key", ""), ""),
            }
            for s in chosen.sections_for(Part.PUBLIC)
        ]
    if part2:
        sections += [
            {"heading": s["heading"], "html": text_to_html(s["text"]), "part": 2}
            for s in chosen.sections_for(Part.PRIVATE)
        ]
    audience = "members" if part2 else "public"
    document = chosen.documents.filter(audience=audience).order_by("-created_at", "-pk").first()
    return render(
        request,
        "meetings/minutes_page.html",
        {
            "meeting": meeting,
            "committee": meeting.committee,
            "minutes": chosen,
            "versions": versions,
            "sections": sections,
            "shows_part2": part2 and any(s["part"] == 2 for s in sections),
            "document": document,
            "audience": audience,
        },
    )


def minutes_pdf(request, slug: str, meeting_id: int, version: int, audience: str):
    meeting = _meeting(request, slug, meeting_id)
    chosen = Minutes.objects.filter(meeting=meeting, version=version).first()
    if chosen is None or audience not in MinutesDocument.Audience.values:
        raise Http404("No such file")
    chosen.meeting = meeting
    part = Part.PRIVATE if audience == MinutesDocument.Audience.MEMBERS else Part.PUBLIC
    if not access.minutes_visible_to(request.user, chosen, part):
        raise Http404("No such file")
    document = chosen.documents.filter(audience=audience).order_by("-created_at", "-pk").first()
    if document is None:
        raise Http404("No such file")
    name = f"minutes-{meeting.date:%Y-%m-%d}-v{chosen.version}.pdf"
    try:
        response = files.response(minutes_file(document.storage_name), filename=name)
    except FileNotFoundError as exc:
        raise Http404("No such file") from exc
    response["Cache-Control"] = "private, no-store" if part == Part.PRIVATE else "public"
    return response


def register_rows(request, committee: Committee, params) -> tuple:
    """The register's decisions for this reader with the filters applied; fixed queries."""
    full_part2 = access.sees_part2_record(request.user, committee.pk)
    # A motion that fell has no number: the register lists what was decided (its minutes say it
    # was lost, with the count).
    listed = access.listed_decisions_queryset(request.user).values("pk")
    qs = Decision.objects.filter(
        committee=committee, sequence__isnull=False, pk__in=listed
    ).select_related("meeting__committee", "item")
    q = (params.get("q") or "").strip()
    if q:
        if full_part2:
            qs = qs.filter(Q(text__icontains=q) | Q(public_summary__icontains=q))
        else:
            # A public search never looks inside Part 2 text, or a hit would reveal it.
            qs = qs.filter(
                Q(part=Part.PUBLIC, meeting__is_public=True, text__icontains=q)
                | Q(public_summary__icontains=q)
            )
    year = whole_number(params.get("year"))
    if year is not None:
        qs = qs.filter(year=year)
    meeting = whole_number(params.get("meeting"))
    if meeting is not None:
        qs = qs.filter(meeting_id=meeting)
    part = params.get("part", "")
    if part in ("1", "2"):
        qs = qs.filter(part=int(part))
    return qs.order_by("-meeting__date", "-sequence"), full_part2, q


def register(request, slug: str):
    committee = _committee(request, slug)
    qs, full_part2, q = register_rows(request, committee, request.GET)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = []
    for d in page.object_list:
        full = full_part2 or (d.part == Part.PUBLIC and d.meeting.is_public)
        rows.append({"decision": d, "full": full, "text": d.text if full else d.public_summary})
    # The filters grow with the number of years, not of decisions: the meeting list offers the
    # meetings of the chosen year (the latest when none is chosen).
    years = list(
        Decision.objects.filter(committee=committee)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    meetings_year = whole_number(request.GET.get("year"))
    if meetings_year is None:
        meetings_year = years[0] if years else None
    meetings = Meeting.objects.filter(
        Q(decisions__committee=committee, decisions__year=meetings_year)
        | Q(pk=whole_number(request.GET.get("meeting")), committee=committee)
    )
    meetings = meetings.distinct().order_by("-date")
    return render(
        request,
        "meetings/decisions_register.html",
        {
            "committee": committee,
            "page_obj": page,
            "rows": rows,
            "q": q,
            "years": years,
            "meetings": meetings,
            "meetings_year": meetings_year,
            "filters": request.GET,
        },
    )


def decision_notice(request, slug: str, pk: int):
    """A one-page notice of a decision, as this reader may see it. Rendered by Celery (issue 15):
    served when ready, otherwise queued and a page that updates itself is shown."""
    committee = _committee(request, slug)
    decision = (
        Decision.objects.select_related("meeting__committee", "item", "committee")
        .filter(pk=pk, committee=committee)
        .first()
    )
    if decision is None or not access.decision_notice_visible_to(request.user, decision):
        raise Http404("No such decision")
    full = access.decision_full_text_visible_to(request.user, decision)
    private = not full or decision.is_part2
    name = notices.notice_name(notices.notice_key(notices.notice_input(decision, full=full)))
    if not files.exists(name):
        try:
            current_app.send_task("public_site.render_decision_notice", args=[decision.pk, full])
        except Exception:  # noqa: BLE001 - no broker: render here rather than fail the reader
            notices.render_notice(decision.pk, full)
    if not files.exists(name):
        template = (
            "public/notice_preparing_status.html"
            if request.htmx
            else "public/notice_preparing.html"
        )
        response = render(request, template, {"decision": decision, "committee": committee})
        response["Cache-Control"] = "private, no-store"
        return response
    if request.htmx:
        response = render(
            request,
            "public/notice_preparing_status.html",
            {"decision": decision, "committee": committee, "ready": True},
        )
        response["Cache-Control"] = "private, no-store"
        return response
    try:
        response = files.response(
            name, filename=f"decision-{decision.number.replace('/', '-')}.pdf"
        )
    except FileNotFoundError:  # removed from the store since it was checked
        raise Http404("No such decision notice") from None
    response["Cache-Control"] = "private, no-store" if private else "public"
    return response
