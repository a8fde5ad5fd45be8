"""What goes into a meeting's agenda and pack, for an audience or a reader, and its content hash.

The engine (`icp_secretariat.lib.pdf`) takes plain PackInput values; this module builds them from
the models. Which papers a reader gets is decided only by `meetings.access`: the public input
holds Part 1 papers and Part 2 items by public description and ground; a reader's members' input
holds exactly `access.visible_papers(user, meeting)`. `user=None` with the members' audience is
the secretariat's view (everything), used for the shared variant and by `build_pack`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import time_format
from django.utils.html import escape, linebreaks

from documents.models import Audience, Kind
from icp_secretariat.lib import files, pdf, public_cache
from meetings import access
from meetings.minutes.previous import MINUTES_KEY, PreviousMinutes, previous_minutes
from meetings.models import Agenda, AgendaItem, Meeting, Paper, PaperWithholding, Part
from meetings.page import page_memo
from members.interests import register_for

REGISTER_KEY = "register"


@dataclass(frozen=True)
class DocumentSpec:
    """One document to publish: what goes in, and the hash that names that content."""

    kind: str
    audience: str
    pack: pdf.PackInput
    paper_ids: tuple[int, ...]
    content_hash: str


def agenda_of(meeting: Meeting) -> Agenda | None:
    try:
        return meeting.agenda
    except Agenda.DoesNotExist:
        return None


def _meeting_title(meeting: Meeting) -> str:
    if meeting.kind == Meeting.Kind.ORDINARY:
        return f"Meeting of the {meeting.committee.display_short_name}"
    return f"{meeting.get_kind_display()} meeting of the {meeting.committee.display_short_name}"


def _meeting_time(meeting: Meeting) -> str:
    text = time_format(meeting.start_time, "H:i")
    if meeting.end_time:
        text += f" to {time_format(meeting.end_time, 'H:i')}"
    return text


def _paper_note(paper: Paper) -> str:
    if paper.status == Paper.Status.LATE:
        return f"Late paper: {paper.reason}".strip()
    if paper.status == Paper.Status.REVISED:
        day = timezone.localdate(paper.uploaded_at)
        return f"Revised {day.day} {day:%B %Y}: {paper.reason}".strip()
    return ""


# What the register of interests is read from (members.interests.register_for and its template).
_REGISTER_TOPICS = (
    "members.membership",
    "members.person",
    "members.interest",
    "members.confirmation",
    "committees.seat",
    "committees.organisation",
    "committees.committee",
)


def register_html(meeting: Meeting, agenda: Agenda | None = None) -> str:
    """The Register of Members' Interests as it stood when the agenda was dispatched."""
    agenda = agenda if agenda is not None else agenda_of(meeting)
    as_of = agenda.dispatched_at if agenda is not None and agenda.dispatched_at else None
    memo = page_memo(meeting)
    if memo is not None and as_of is not None and ("register", as_of) in memo:
        return memo[("register", as_of)]

    def render(when) -> str:
        return render_to_string(
            "documents/register_item.html",
            {
                "register": register_for(meeting.committee, as_of=when),
                "as_of": timezone.localtime(when).date(),
                "dispatched": as_of is not None,
            },
        )

    if as_of is None:
        return render(timezone.now())
    # The register as it stood at dispatch changes only with a write to what it is read from:
    # kept under those models' generation, so a meeting page rebuilt after any other write
    # does not read it again.
    html = public_cache.remember(
        f"documents:register:{meeting.committee_id}:{as_of.isoformat()}",
        _REGISTER_TOPICS,
        lambda: render(as_of),
    )
    if memo is not None:
        memo[("register", as_of)] = html
    return html


def _items(meeting: Meeting) -> list[AgendaItem]:
    memo = page_memo(meeting)
    if memo is not None and "items" in memo:
        return list(memo["items"])
    return list(
        AgendaItem.objects.filter(agenda__meeting=meeting)
        .select_related("lead_organisation", "part2_ground")
        .order_by("number")
    )


def _previous_minutes_input(
    previous: PreviousMinutes | None, *, public: bool
) -> tuple[str, list[pdf.PaperInput]]:
    """The minutes item's line about the last meeting's minutes, and their PDF as its paper
    once approved and published (issue 13)."""
    if previous is None:
        return "", []
    body = f"<p>{escape(previous.text)}</p>"
    audience = Audience.PUBLIC if public else Audience.MEMBERS
    if public and not previous.meeting.is_public:
        return body, []
    path = previous.path(audience)
    if path is None:  # a document row exists only once its file is written
        return body, []
    return body, [pdf.PaperInput(title=previous.title, path=path, note="Approved minutes")]


def _item_input(
    item: AgendaItem,
    papers: list[Paper],
    *,
    public: bool,
    register: str,
    previous: PreviousMinutes | None = None,
) -> pdf.ItemInput:
    ground = str(item.part2_ground) if item.part2_ground_id else ""
    if public and item.part == Part.PRIVATE:
        # Only what the public agenda says: the title, details and papers never go in.
        return pdf.ItemInput(
            number=str(item.number),
            title="",
            part=Part.PRIVATE,
            public_description=item.public_description,
            ground=ground,
        )
    presenter = item.presenter
    if item.lead_organisation_id:
        org = item.lead_organisation.name
        presenter = f"{presenter} ({org})" if presenter else org
    body = linebreaks(escape(item.description)) if item.description else ""
    if item.standard_key == REGISTER_KEY and item.part == Part.PUBLIC:
        body += register
    extra: list[pdf.PaperInput] = []
    if item.standard_key == MINUTES_KEY:
        line, extra = _previous_minutes_input(previous, public=public)
        body += line
    return pdf.ItemInput(
        number=str(item.number),
        title=item.title,
        part=item.part,
        purpose=item.get_purpose_display(),
        presenter=presenter,
        timing=f"{item.timing_minutes} minutes" if item.timing_minutes else "",
        public_description=item.public_description if item.part == Part.PRIVATE else "",
        ground=ground if item.part == Part.PRIVATE else "",
        papers=[
            pdf.PaperInput(
                title=p.title,
                path=files.pdf_source(p.storage_name),
                confidential=item.part == Part.PRIVATE,
                note=_paper_note(p),
            )
            for p in papers
        ]
        + extra,
        body_html=body,
    )


def pack_input(meeting: Meeting, audience: str, *, user=None) -> tuple[pdf.PackInput, list[Paper]]:
    """The PackInput for `audience`; for members, as `user` may read it (None: everything).

    Returns the input and the papers in it, in pack order. A fixed number of queries.
    """
    if audience not in (Audience.PUBLIC, Audience.MEMBERS):
        raise ValueError(f"audience must be 'public' or 'members', not {audience!r}")
    public = audience == Audience.PUBLIC
    if public:
        # The public pack is Part 1 by definition (who may have it is `may_read`'s question).
        papers_qs = Paper.objects.filter(item__agenda__meeting=meeting, item__part=Part.PUBLIC)
    elif user is None:
        papers_qs = Paper.objects.filter(item__agenda__meeting=meeting)
    else:
        papers_qs = access.visible_papers(user, meeting)
    memo = page_memo(meeting)
    if public and memo is not None and "public_papers" in memo:
        # The meeting page read the public's papers already (Part 1, every version, pk order).
        current = [
            p
            for p in memo["public_papers"]
            if p.is_current and p.item.part == Part.PUBLIC and p.taken_down_at is None
        ]
    else:
        # A paper taken down is in no pack built afterwards, whoever it is for.
        current = (
            papers_qs.filter(is_current=True, taken_down_at__isnull=True)
            .defer("text", "html")
            .order_by("pk")
        )
    by_item: dict[int, list[Paper]] = {}
    for paper in current:
        by_item.setdefault(paper.item_id, []).append(paper)
    items = _items(meeting)
    register = (
        register_html(meeting)
        if any(i.standard_key == REGISTER_KEY and i.part == Part.PUBLIC for i in items)
        else ""
    )
    previous = None
    if any(i.standard_key == MINUTES_KEY for i in items):
        memo = page_memo(meeting)
        if memo is not None and "previous_minutes" in memo:
            previous = memo["previous_minutes"]  # read by the meeting page already
        else:
            previous = previous_minutes(meeting)
    inputs = []
    included: list[Paper] = []
    for item in items:
        papers = [] if public and item.part == Part.PRIVATE else by_item.get(item.pk, [])
        included.extend(papers)
        inputs.append(
            _item_input(item, papers, public=public, register=register, previous=previous)
        )
    pack = pdf.PackInput(
        committee_name=meeting.committee.name,
        meeting_title=_meeting_title(meeting),
        meeting_date=meeting.date,
        meeting_time=_meeting_time(meeting),
        venue=meeting.venue or ("Online" if meeting.online_link else ""),
        audience=audience,
        items=inputs,
    )
    return pack, included


def content_hash(kind: str, pack: pdf.PackInput, papers: list[Paper]) -> str:
    """The build key of one document: like `pdf.pack_fingerprint`, but a paper counts by the
    SHA-256 recorded at upload (its file is never changed in place: a replacement gets a new
    name), so a page view can work out which version is current without reading every file."""
    digests = {files.pdf_source(p.storage_name): p.sha256 for p in papers}

    def default(value: object) -> object:
        if isinstance(value, (Path, files.StoredFile)):
            # A paper by its recorded digest; another attached PDF (the previous meeting's
            # minutes) by its never-reused storage name.
            if value in digests:
                return {"sha256": digests[value]}
            return {"file": Path(value.name).name}
        if isinstance(value, dt.date):
            return value.isoformat()
        raise TypeError(f"cannot hash {type(value).__name__}")

    payload = json.dumps(
        {
            "kind": kind,
            # The engine's own digest (templates, print CSS, ENGINE_VERSION): a change to the
            # engine makes new versions rather than serving output of the old one.
            "engine": pdf._engine_digest(),
            "pack": dataclasses.asdict(pack),
        },
        default=default,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def document_spec(meeting: Meeting, kind: str, audience: str, *, user=None) -> DocumentSpec:
    pack, papers = pack_input(meeting, audience, user=user)
    return DocumentSpec(
        kind=kind,
        audience=audience,
        pack=pack,
        paper_ids=tuple(p.pk for p in papers),
        content_hash=content_hash(kind, pack, papers),
    )


def reader_audience(user, meeting: Meeting) -> str | None:
    """Which documents a reader gets: the members' (Part 2 entitled), the public's, or none."""
    if not access.is_dispatched(meeting):
        return None
    if access.can_see_part2(user, meeting):
        return Audience.MEMBERS
    if meeting.is_public and Part.PUBLIC in access.item_visible_parts(user, meeting):
        return Audience.PUBLIC
    return None


def reader_specs(user, meeting: Meeting) -> list[DocumentSpec]:
    """The current agenda and pack this reader should be offered (empty: none)."""
    audience = reader_audience(user, meeting)
    if audience is None:
        return []
    reader = user if audience == Audience.MEMBERS else None
    pack, papers = pack_input(meeting, audience, user=reader)
    ids = tuple(p.pk for p in papers)
    return [
        DocumentSpec(kind, audience, pack, ids, content_hash(kind, pack, papers))
        for kind in (Kind.AGENDA, Kind.PACK)
    ]


def may_read(user, document) -> bool:
    """Whether `user` may open this published document (any version); callers answer 404."""
    meeting = document.meeting
    if not access.meeting_visible_to(user, meeting) or not access.is_dispatched(meeting):
        return False
    if document.audience == Audience.PUBLIC:
        if not (meeting.is_public and Part.PUBLIC in access.item_visible_parts(user, meeting)):
            return False
    elif not access.can_see_part2(user, meeting):
        return False
    # Every paper in it must be one the reader may open: a paper taken down (or withheld from
    # them) later never leaks through an old version's URL.
    wanted = set(document.paper_ids)
    if not wanted:
        return True
    visible = set(
        access.visible_papers(user, meeting).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    return wanted <= visible


def part2_pages(document) -> list[int]:
    """The pages (0-based) of a members' pack that carry "Confidential – Part 2": the pages a
    download stamps with the reader's name. Packs built before the layout recorded it count a
    paper as Part 2 when its item is a Part 2 item of the meeting (one query)."""
    if document.kind != Kind.PACK or document.audience != Audience.MEMBERS:
        return []
    papers = (document.layout or {}).get("papers", [])
    if any("confidential" not in p for p in papers):
        private = {
            str(number)
            for number in AgendaItem.objects.filter(
                agenda__meeting_id=document.meeting_id, part=Part.PRIVATE
            ).values_list("number", flat=True)
        }
        papers = [
            {**p, "confidential": p.get("confidential", str(p.get("item_number")) in private)}
            for p in papers
        ]
    pages: list[int] = []
    for paper in papers:
        if paper["confidential"]:
            first = int(paper["first_page"]) - 1
            pages.extend(range(first, first + int(paper["page_count"])))
    return pages


def build_targets(meeting: Meeting, *, for_user=None) -> list[DocumentSpec]:
    """Every document the meeting should have published now, deduplicated by content.

    Public agenda and pack (for a meeting held in public), the members' agenda and pack as the
    secretariat sees them, and a variant for each reader a Part 2 paper is withheld from (and
    for `for_user`), as `meetings.access` lets them read it. Most readers share one variant.
    """
    if not access.is_dispatched(meeting):
        return []

    specs: list[DocumentSpec] = []
    if meeting.is_public:
        specs += [document_spec(meeting, k, Audience.PUBLIC) for k in (Kind.AGENDA, Kind.PACK)]
    readers: list = [None]
    withheld_from = (
        PaperWithholding.objects.filter(paper__item__agenda__meeting=meeting)
        .exclude(person__user=None)
        .select_related("person__user")
    )
    readers += sorted({w.person.user for w in withheld_from}, key=lambda u: u.pk)
    if for_user is not None and for_user not in readers:
        readers.append(for_user)
    for reader in readers:
        if reader is not None and reader_audience(reader, meeting) != Audience.MEMBERS:
            continue
        pack, papers = pack_input(meeting, Audience.MEMBERS, user=reader)
        for kind in (Kind.AGENDA, Kind.PACK):
            specs.append(
                DocumentSpec(
                    kind,
                    Audience.MEMBERS,
                    pack,
                    tuple(p.pk for p in papers),
                    content_hash(kind, pack, papers),
                )
            )
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for spec in specs:
        key = (spec.kind, spec.audience, spec.content_hash)
        if key not in seen:
            seen.add(key)
            unique.append(spec)
    # Agendas first: they read no paper, so they publish even when a paper cannot be read.
    unique.sort(key=lambda s: s.kind != Kind.AGENDA)
    return unique
