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
from icp_secretariat.lib import pdf
from meetings import access
from meetings.agenda.papers import paper_path
from meetings.models import Agenda, AgendaItem, Meeting, Paper, PaperWithholding, Part
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


def register_html(meeting: Meeting, agenda: Agenda | None = None) -> str:
    """The Register of Members' Interests as it stood when the agenda was dispatched."""
    agenda = agenda if agenda is not None else agenda_of(meeting)
    as_of = agenda.dispatched_at if agenda is not None and agenda.dispatched_at else None
    when = as_of or timezone.now()
    return render_to_string(
        "documents/register_item.html",
        {
            "register": register_for(meeting.committee, as_of=when),
            "as_of": timezone.localtime(when).date(),
            "dispatched": as_of is not None,
        },
    )


def _items(meeting: Meeting) -> list[AgendaItem]:
    return list(
        AgendaItem.objects.filter(agenda__meeting=meeting)
        .select_related("lead_organisation", "part2_ground")
        .order_by("number")
    )


def _item_input(
    item: AgendaItem, papers: list[Paper], *, public: bool, register: str
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
                path=paper_path(p.storage_name),
                confidential=item.part == Part.PRIVATE,
                note=_paper_note(p),
            )
            for p in papers
        ],
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
    by_item: dict[int, list[Paper]] = {}
    for paper in papers_qs.filter(is_current=True).defer("text").order_by("pk"):
        by_item.setdefault(paper.item_id, []).append(paper)
    items = _items(meeting)
    register = (
        register_html(meeting)
        if any(i.standard_key == REGISTER_KEY and i.part == Part.PUBLIC for i in items)
        else ""
    )
    inputs = []
    included: list[Paper] = []
    for item in items:
        papers = [] if public and item.part == Part.PRIVATE else by_item.get(item.pk, [])
        included.extend(papers)
        inputs.append(_item_input(item, papers, public=public, register=register))
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
    digests = {paper_path(p.storage_name): p.sha256 for p in papers}

    def default(value: object) -> object:
        if isinstance(value, Path):
            return {"sha256": digests.get(value, "")}
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
        return meeting.is_public and Part.PUBLIC in access.item_visible_parts(user, meeting)
    if not access.can_see_part2(user, meeting):
        return False
    wanted = set(document.paper_ids)
    if not wanted:
        return True
    visible = set(
        access.visible_papers(user, meeting).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    return wanted <= visible


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
