"""Demo agendas and papers for the K&M and M&SE meetings that `demo.meetings` creates.

`load()` is idempotent: a meeting that already has an agenda is left alone, and with no
meetings it does nothing. Past meetings are dispatched on time; the next one awaits dispatch;
later ones are drafts. Each Part 2 paper carries the phrase PART2-SECRET-<meeting id>-<item id>
so leak tests can search every public surface for it.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from committees.models import Committee, OfficeKind, Role
from meetings.agenda import office, services
from meetings.agenda import papers as paper_files
from meetings.agenda import rules as agenda_rules
from meetings.agenda.processing import process_paper_now
from meetings.models import Agenda, AgendaAgreement, AgendaItem, ItemRequest, Meeting, Paper, Part
from members.models import Membership, Office

COMMITTEE_SLUGS = ("kent-medway-icp", "mid-south-essex-icp")

BUSINESS = [
    ("Integrated Care Strategy: delivery update", "assurance", "Director of Strategy", "report"),
    (
        "Population health and prevention priorities",
        "discussion",
        "Director of Public Health",
        "report",
    ),
    ("Joint Forward Plan refresh", "decision", "Chief Executive, ICB", "plan"),
    (
        "Workforce: one workforce across health and care",
        "discussion",
        "Chief People Officer",
        "report",
    ),
    ("Healthwatch insight report", "information", "Healthwatch Chief Executive", "report"),
]
PRIVATE = [
    ("Procurement of community equipment services", "decision", "commercially sensitive"),
    ("Review of a serious incident involving an individual", "assurance", "individuals"),
]
PUBLIC_DESCRIPTIONS = {
    "commercially sensitive": "A procurement decision (commercially sensitive)",
    "individuals": "A matter concerning an individual",
}

STYLE = (
    "<style>@page{size:A4;margin:2cm;@bottom-center{content:'Page ' counter(page);"
    "font-family:Arial,sans-serif;font-size:9pt}} body{font-family:Arial,sans-serif;font-size:11pt}"
    " h1{font-size:20pt} section{page-break-after:always} section:last-child{page-break-after:auto}"
    "</style>"
)
PARA = (
    "<p>The partnership's Integrated Care Strategy sets out shared outcomes for the population. "
    "This paper summarises progress against each priority, the risks to delivery and the actions "
    "proposed by partners. Members are asked to note the progress and to consider whether the "
    "assurance provided is sufficient.</p>"
)


def _render(title: str, body_phrase: str = "", pages: int = 4) -> bytes:
    from weasyprint import HTML  # imported when used: it slows every process's start

    # WeasyPrint logs every layout step at INFO; the demo loader should stay quiet.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

    sections = []
    for n in range(1, pages + 1):
        extra = f"<p><strong>{body_phrase}</strong></p>" if body_phrase else ""
        sections.append(f"<section><h1>{title}</h1><h2>Section {n}</h2>{extra}{PARA * 4}</section>")
    return HTML(
        string=f"<html><head>{STYLE}</head><body>{''.join(sections)}</body></html>"
    ).write_pdf()


@cache
def _template_pdf(kind: str) -> bytes:
    """One rendered PDF per kind of Part 1 paper, reused, so the demo loads quickly."""
    titles = {
        "report": "Report to the Partnership",
        "plan": "Plan for agreement",
        "minutes": "Draft minutes of the previous meeting",
        "register": "Register of Members' Interests",
    }
    return _render(titles[kind], pages=3)


def _upload(item: AgendaItem, by, title: str, data: bytes, name: str):
    paper = services.upload_paper(
        item=item, by=by, uploaded=SimpleUploadedFile(name, data, "application/pdf"), title=title
    )
    # A small rendered PDF: processed here (what the worker does), so the demo's dispatched
    # agendas have their papers; only the Word paper waits for the worker (demo/office.py).
    return process_paper_now(paper.pk)


@cache
def _template_facts(kind: str) -> paper_files.PdfFacts:
    return paper_files.inspect_pdf(_template_pdf(kind))


@cache
def _template_html(kind: str) -> str:
    """The web version processing makes of a PDF: its text, page by page."""
    return office.pdf_pages_to_html(list(_template_facts(kind).pages))


def _attach_template(item: AgendaItem, by, title: str, kind: str) -> Paper:
    """A Part 1 paper from a shared template: checked once, stored once per paper row."""
    facts = _template_facts(kind)
    return Paper.objects.create(
        item=item,
        title=title,
        storage_name=paper_files.store_pdf(_template_pdf(kind)),
        original_name=f"{kind}.pdf",
        size=facts.size,
        sha256=facts.sha256,
        page_count=facts.page_count,
        text=facts.text,
        html=_template_html(kind),
        uploaded_by=by,
    )


def _officer_user(committee: Committee):

    office = (
        Office.objects.current()
        .filter(committee=committee, kind=OfficeKind.CHAIR, person__user__isnull=False)
        .select_related("person__user")
        .first()
    )
    return office.person.user if office else None


def _member_users(committee: Committee) -> list:

    return [
        m.person.user
        for m in Membership.objects.current()
        .filter(committee=committee, role=Role.MEMBER, person__user__isnull=False)
        .select_related("person__user")[:5]
    ]


def _build(meeting: Meeting, *, sec) -> None:
    agenda = services.get_or_create_agenda(meeting=meeting)
    grounds = {g.text.lower(): g for g in meeting.committee.part2_grounds.all()}
    by_key = {i.standard_key: i for i in agenda.items.all()}
    previous = (
        Meeting.objects.scheduled()
        .filter(committee=meeting.committee, date__lt=meeting.date)
        .order_by("-date", "-start_time")
        .first()
    )
    # Draft minutes of the last meeting only once it has been held: the agenda of a meeting
    # after one still to come has no minutes to carry yet.
    if "minutes" in by_key and previous is not None and previous.date < timezone.localdate():
        _attach_template(by_key["minutes"], sec, "Draft minutes", "minutes")
    if "register" in by_key:
        _attach_template(by_key["register"], sec, "Register of Members' Interests", "register")
    for title, purpose, presenter, kind in BUSINESS[: 3 + meeting.pk % 3]:
        item = services.add_item(
            agenda=agenda,
            by=sec,
            title=title,
            purpose=purpose,
            presenter=presenter,
            timing_minutes=20,
        )
        _attach_template(item, sec, title, kind)
    for title, purpose, ground_hint in PRIVATE:
        ground = next((g for text, g in grounds.items() if ground_hint.split()[0] in text), None)
        ground = ground or next(iter(grounds.values()), None)
        if ground is None:
            continue  # the committee has no Part 2 grounds configured: no private business
        item = services.add_item(
            agenda=agenda,
            by=sec,
            title=title,
            purpose=purpose,
            part=Part.PRIVATE,
            part2_ground=ground,
            public_description=PUBLIC_DESCRIPTIONS[ground_hint],
            presenter="Director of Corporate Affairs",
            timing_minutes=15,
        )
        phrase = f"PART2-SECRET-{meeting.pk}-{item.pk}"
        _upload(
            item,
            sec,
            f"{title} (confidential)",
            _render(title, phrase, pages=3),
            "confidential.pdf",
        )


def _requests(meeting: Meeting, later: Meeting | None, *, members, chair) -> None:
    if not members or chair is None:
        return
    now = timezone.now()
    rows = [
        ("Access to NHS dentistry across the county", ItemRequest.State.PENDING, False, "", None),
        (
            "Winter pressures in urgent and emergency care",
            ItemRequest.State.PENDING,
            True,
            "Bed occupancy has risen sharply this month.",
            None,
        ),
        (
            "Children's mental health waiting times",
            ItemRequest.State.INCLUDED,
            False,
            "A timely and important topic for the partnership.",
            None,
        ),
        (
            "Street lighting in town centres",
            ItemRequest.State.DECLINED,
            False,
            "This is a matter for the councils' own committees rather than the partnership.",
            None,
        ),
        (
            "Housing and health: a joint approach",
            ItemRequest.State.DEFERRED,
            False,
            "The housing needs assessment reports in the autumn; taken at the next meeting.",
            later,
        ),
    ]
    # Received as members would have sent them: an ordinary request some days before the
    # 20-clear-working-day deadline, the urgent one on the last day of the urgent window (never
    # after today), each placed against the deadlines by the rule the request form applies; the
    # Chair decided them before the agenda went to the Chair.
    deadlines = services.request_deadlines(meeting)
    sent_to_chair = services.papers_deadline(meeting) - dt.timedelta(days=7)  # as _set_state
    for n, (title, state, urgent, reason, deferred_to) in enumerate(rows):
        if state == ItemRequest.State.DEFERRED and deferred_to is None:
            continue
        by = members[n % len(members)]
        urgent = urgent and state == ItemRequest.State.PENDING
        received = deadlines.urgent if urgent else deadlines.on_time - dt.timedelta(days=9 - n)
        submitted_at = min(
            timezone.make_aware(dt.datetime.combine(received, dt.time(11, 30))),
            now - dt.timedelta(hours=2),
        )
        timing = agenda_rules.classify_item_request(
            submitted_on=timezone.localdate(submitted_at), urgent=urgent, deadlines=deadlines
        ).timing
        req = ItemRequest.objects.create(
            meeting=meeting,
            requested_by=by,
            title=title,
            summary=f"I would like the partnership to consider {title[:1].lower()}{title[1:]}.",
            why="Residents and partners have raised it repeatedly.",
            urgent=urgent,
            urgent_reason=reason if urgent else "",
            timing=timing,
        )
        ItemRequest.objects.filter(pk=req.pk).update(submitted_at=submitted_at)  # auto_now_add
        req.submitted_at = submitted_at
        if state == ItemRequest.State.PENDING:
            continue
        if state == ItemRequest.State.INCLUDED:
            req.agenda_item = services.add_item(
                agenda=meeting.agenda,
                by=None,
                title=title,
                purpose="discussion",
                presenter=str(by.get_full_name() or by),
                description=req.summary,
            )
        req.state = state
        req.decision_reason = reason
        req.decided_by = chair
        decided = timezone.make_aware(dt.datetime.combine(sent_to_chair, dt.time(9)))
        req.decided_at = min(max(decided, submitted_at + dt.timedelta(days=1)), now)
        req.deferred_to = deferred_to
        req.save()


def load() -> None:
    """Give each K&M and M&SE meeting an agenda, papers and item requests (idempotent)."""
    today = timezone.localdate()
    for slug in COMMITTEE_SLUGS:
        committee = Committee.objects.filter(slug=slug).first()
        if committee is None:
            continue
        meetings = list(
            Meeting.objects.scheduled().filter(committee=committee).order_by("date", "start_time")
        )
        if not meetings:
            continue
        sec = committee.secretariat.first()
        chair = _officer_user(committee)
        members = _member_users(committee)
        upcoming = [m for m in meetings if m.date >= today]
        for m in meetings:
            if Agenda.objects.filter(meeting=m).exists():
                continue
            if m.date < today:
                state = Agenda.State.DISPATCHED
            elif upcoming and m == upcoming[0]:
                state = Agenda.State.AGREED
            elif len(upcoming) > 1 and m == upcoming[1]:
                state = Agenda.State.AWAITING_CHAIR
            else:
                state = Agenda.State.DRAFT
            with transaction.atomic():
                _build(m, sec=sec)
                if upcoming and m == upcoming[0]:
                    later = upcoming[1] if len(upcoming) > 1 else None
                    _requests(m, later, members=members, chair=chair)
                if state != Agenda.State.DRAFT:
                    _set_state(m, sec=sec, chair=chair, state=state)


def _set_state(meeting: Meeting, *, sec, chair, state: str) -> None:
    agenda = Agenda.objects.get(meeting=meeting)
    deadline = services.papers_deadline(meeting)
    sent = timezone.make_aware(dt.datetime.combine(deadline - dt.timedelta(days=7), dt.time(9)))
    values: dict = {"state": state, "sent_to_chair_at": sent, "sent_to_chair_by": sec}
    if state in (Agenda.State.AGREED, Agenda.State.DISPATCHED):
        values |= {
            "agreed_at": sent + dt.timedelta(days=2),
            "agreed_by": chair,
            "agreed_version": agenda.version,
        }
    if state == Agenda.State.DISPATCHED:
        # History: as the meetings demo recorded it, else on the papers deadline (on time).
        at = meeting.papers_dispatched_at or timezone.make_aware(
            dt.datetime.combine(deadline, dt.time(10))
        )
        Meeting.objects.filter(pk=meeting.pk).update(papers_dispatched_at=at)
        values |= {
            "dispatched_at": at,
            "dispatched_by": sec,
        }
    # Set directly: the demo records past events without emailing anyone today.
    Agenda.objects.filter(pk=agenda.pk).update(**values)
    if "agreed_at" in values:
        # Everyone the committee's rule names agreed (K&M: the Chair; M&SE: the Chair and
        # Vice Chairs), as the offices stood on the day.
        at = values["agreed_at"]
        status = agenda_rules.agreement_status(
            meeting.committee.rules.agenda_agreed_by,
            services.office_holders(meeting, on=timezone.localdate(at)),
            [],
        )
        for person_id, office in status.required.items():
            AgendaAgreement.objects.get_or_create(
                agenda=agenda,
                version=agenda.version,
                person_id=person_id,
                defaults={"office": office, "at": at},
            )
