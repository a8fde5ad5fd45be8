"""More public pages of a committee: membership, meetings calendar, Terms of Reference, search.

No sign-in. Meetings are listed by date, time and status only (their existence is public,
DOMAIN section 4); what is inside a meeting is decided on the meeting page by meetings.access.
"""

from __future__ import annotations

import dataclasses

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from committees.models import Committee
from icp_secretariat.lib.fulltext import mark_matches
from icp_secretariat.lib.params import whole_number
from icp_secretariat.lib.public_cache import public_page
from icp_secretariat.lib.text import render_light_markdown
from meetings.agenda.services import papers_due
from meetings.models import Meeting
from public_site.attendance import year_attendance
from public_site.search import MAX_PAGES, PAGE_SIZE, clean_query, run_search
from public_site.selectors import public_committee_page


def _committee(slug: str) -> Committee:
    return get_object_or_404(Committee.objects.select_related("parent"), slug=slug, is_active=True)


@public_page
def membership(request, slug: str):
    page = public_committee_page(slug)
    return render(request, "public/membership.html", {"page": page, "committee": page.committee})


@public_page(
    depends_on=(
        "committees.committee",
        "meetings.meeting",
        "meetings.attendance",
        "members.membership",
        "members.person",
        "committees.organisation",
    )
)
def attendance(request, slug: str, year: int):
    """Attendance per Member and Participant at the meetings held in public in one year."""
    committee = _committee(slug)
    today = timezone.localdate()
    if not 2000 <= year <= today.year + 1:
        raise Http404("No such year")
    data = year_attendance(committee, year, today)
    return render(request, "public/attendance.html", {"committee": committee, "data": data})


@public_page(params=("year",))
def meetings(request, slug: str):
    """Upcoming meetings, then past ones for one year at a time (?year=)."""
    committee = _committee(slug)
    today = timezone.localdate()
    meetings = Meeting.objects.filter(committee=committee).select_related("agenda")
    # Bounded by the calendar, not by history: upcoming meetings, the years that have past
    # meetings (one row per year), and the past meetings of one year.
    upcoming = list(meetings.filter(date__gte=today).order_by("date", "start_time"))
    years = [
        d.year
        for d in Meeting.objects.filter(committee=committee, date__lt=today).dates(
            "date", "year", order="DESC"
        )
    ]
    year = years[0] if years else None
    raw = request.GET.get("year")
    if raw:
        year = whole_number(raw)
        if year not in years:
            raise Http404("No meetings that year")
    past = (
        list(meetings.filter(date__lt=today, date__year=year).order_by("-date", "-start_time"))
        if year
        else []
    )
    for m in upcoming + past:
        m.committee = committee  # their links need its slug: no query per meeting
    # A meeting to come whose papers are not out says when they are due (or were): one
    # calendar for the committee, no query per meeting.
    due = papers_due(upcoming, today)
    for m in upcoming:
        if m.pk in due and m.is_public:
            m.papers_due, m.papers_overdue = due[m.pk], due[m.pk] < today
    return render(
        request,
        "public/meetings.html",
        {
            "committee": committee,
            "upcoming": upcoming,
            "past": past,
            "years": years,
            "year": year,
        },
    )


@public_page
def terms_of_reference(request, slug: str):
    committee = _committee(slug)
    if not committee.terms_of_reference and not committee.terms_of_reference_url:
        raise Http404("No Terms of Reference published")
    return render(
        request,
        "public/terms_of_reference.html",
        {
            "committee": committee,
            "text": render_light_markdown(committee.terms_of_reference),
        },
    )


@public_page(params=("q", "committee", "page"))
def search(request):
    """Search published papers, agendas (and later minutes and decisions) as this reader.

    The public's results depend only on the query and what is published, so they are cached
    like any public page; a signed-in reader's are computed fresh and marked private."""
    q = clean_query(request.GET.get("q"))
    slug = request.GET.get("committee") or ""
    committee = None
    if slug:
        committee = Committee.objects.filter(slug=slug, is_active=True).first()
    committees = Committee.objects.filter(is_active=True).order_by("name")
    try:
        page = min(max(int(request.GET.get("page") or 1), 1), MAX_PAGES)
    except ValueError:
        page = 1
    offset = (page - 1) * PAGE_SIZE
    # One more than a page tells whether there is a next page.
    hits = run_search(request.user, q, committee=committee, limit=PAGE_SIZE + 1, offset=offset)
    has_next = len(hits) > PAGE_SIZE and page < MAX_PAGES
    hits = hits[:PAGE_SIZE] if q else []
    # The words of each title that matched, marked like the snippet's (one query for the page).
    titles = mark_matches([h.title for h in hits], q)
    hits = [dataclasses.replace(h, title_html=t) for h, t in zip(hits, titles, strict=True)]
    return render(
        request,
        "public/search.html",
        {
            "q": q,
            "hits": hits,
            "committee": committee,
            "committees": committees,
            "slug": slug,
            "page": page,
            "first": offset + 1,
            "last": offset + len(hits),
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if has_next else None,
        },
    )


def healthz(request):
    """A trivial view: the ceiling for the load benchmark, and a liveness probe."""
    return HttpResponse("ok", content_type="text/plain")
