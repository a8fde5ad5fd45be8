"""`manage.py grow_demo --factor N`: grow the loaded demo (or any database) to about N times its
meetings, as years of earlier history, so the scale figures in `benchmarks/scale.py` can be
reproduced.

Each meeting whose agenda was dispatched (else each past meeting) is a template: copies of it are placed further and
further back in time (same weekday), with its agenda, items, current papers, current minutes and
decisions (renumbered in each year's register). Paper texts are padded to about `--words` words
of realistic prose drawn from the demo's own papers and minutes, plus a few rare words per
paper, so both unselective ("health") and selective (a rare word) searches have something to
measure. Deterministic for a given `--seed`. Writes in bulk: no history rows, no signals.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import uuid
from collections import defaultdict
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max
from django.db.models.base import ModelState
from django.utils import timezone

from icp_secretariat.lib.public_cache import bump_publication_generation, model_topic
from meetings.models import Agenda, AgendaItem, Decision, Meeting, Minutes, Paper, Part

GROWN = (Meeting, Agenda, AgendaItem, Paper, Minutes, Decision)
SYLLABLES = "ka lo mi ren tor vas bel dun fir gal hen jor kel lun mor nes pal quin rav sel".split()
FALLBACK = (
    "The board noted the update on system flow and agreed the next steps for winter planning. "
    "Partners reported progress on the joint forward plan, the workforce strategy and the "
    "population health management programme. The committee asked for a further report on "
    "health inequalities, discharge delays and primary care access in the coming quarter."
)


# A made-up word planted in the first FIXED_HITS public papers of the first copied generation only:
# a selective search whose number of hits is the same at every factor (benchmarks/scale.py), so
# that its cost can be seen not to grow with the number of papers.
FIXED_WORD = "quorvintel"
FIXED_HITS = 5


def rare_words(rng: random.Random, n: int) -> list[str]:
    """Pronounceable made-up words: each lands in a handful of papers (selective searches)."""
    return ["".join(rng.choice(SYLLABLES) for _ in range(3)) for _ in range(n)]


def sentence_pool() -> list[str]:
    texts = list(Paper.objects.exclude(text="").values_list("text", flat=True)[:500])
    for sections in Minutes.objects.values_list("sections", flat=True)[:100]:
        texts.extend(s.get("text", "") for s in sections or [] if isinstance(s, dict))
    texts.extend(Decision.objects.values_list("text", flat=True)[:200])
    pool = []
    for t in texts:
        for s in re.split(r"(?<=[.!?])\s+", " ".join((t or "").split())):
            if 6 <= len(s.split()) <= 60:
                pool.append(s)
    return pool or re.split(r"(?<=\.)\s+", FALLBACK)


def prose(rng: random.Random, pool: list[str], words: int, rare: list[str]) -> str:
    out: list[str] = []
    count = 0
    while count < words:
        s = rng.choice(pool)
        if rare and rng.random() < 0.02:
            s = f"{s} The {rng.choice(rare).capitalize()} scheme was noted."
        out.append(s)
        count += len(s.split())
    paragraphs = [" ".join(out[i : i + 6]) for i in range(0, len(out), 6)]
    return "\n\n".join(paragraphs)


def copy_of(obj, **changes):
    """A new unsaved row with `obj`'s field values and `changes`."""
    new = type(obj)()
    for f in obj._meta.concrete_fields:
        if not f.primary_key:
            setattr(new, f.attname, getattr(obj, f.attname))
    new._state = ModelState()
    for name, value in changes.items():
        setattr(new, name, value)
    return new


@contextmanager
def keep_given_times(*fields):
    """Let bulk_create keep the historical times we set instead of `auto_now_add`'s now."""
    saved = [(f, f.auto_now_add) for f in fields]
    for f, _ in saved:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, value in saved:
            f.auto_now_add = value


class Command(BaseCommand):
    help = "Grow the loaded data to about N times its meetings, as earlier years of history."

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=int, required=True, help="Target size, e.g. 10.")
        parser.add_argument("--words", type=int, default=3000, help="Words per paper.")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, factor: int, words: int, seed: int, **options) -> None:
        if factor < 1 or factor > 1000:
            raise CommandError("--factor must be between 1 and 1000.")
        # History is made of past meetings: those whose agenda went out (the demo's), else any
        # past meeting (a test's small world).
        meetings = Meeting.objects.select_related("agenda").order_by("date", "pk")
        templates = list(meetings.filter(agenda__state=Agenda.State.DISPATCHED)) or list(
            meetings.filter(date__lt=timezone.localdate())
        )
        total = Meeting.objects.count()
        copies = (factor - 1) * total
        if copies == 0:
            self.stdout.write("Nothing to grow.")
            return
        if not templates:
            raise CommandError("No past meeting to copy: load the demo first.")
        rng = random.Random(seed)
        pool = sentence_pool()
        rare = rare_words(rng, 2000)
        first, last = templates[0].date, templates[-1].date
        span_weeks = (last - first).days // 7 + 4
        made = 0
        generation = 0
        while made < copies:
            generation += 1
            batch = templates[: copies - made]
            shift = dt.timedelta(weeks=span_weeks * generation)
            with transaction.atomic():
                self._copy_generation(batch, shift, rng, pool, rare, words, generation)
            made += len(batch)
            if options["verbosity"] >= 2:
                self.stdout.write(f"{made}/{copies} meetings")
        # Bulk writes send no signals: say which models changed, so cached pages built from
        # them (the sitemap's sections among them) are rebuilt.
        bump_publication_generation(*(model_topic(m) for m in GROWN))
        self.stdout.write(
            self.style.SUCCESS(
                f"Grown to {Meeting.objects.count()} meetings, {AgendaItem.objects.count()} items,"
                f" {Paper.objects.count()} papers, {Decision.objects.count()} decisions."
            )
        )

    def _copy_generation(self, templates, shift, rng, pool, rare, words, generation) -> None:
        ids = [m.pk for m in templates]

        def moved(value):
            return value - shift if value is not None else None

        meetings = Meeting.objects.bulk_create(
            [
                copy_of(
                    m,
                    date=m.date - shift,
                    notice_given_at=moved(m.notice_given_at),
                    papers_dispatched_at=moved(m.papers_dispatched_at),
                    minutes_circulated_at=moved(m.minutes_circulated_at),
                )
                for m in templates
            ]
        )
        meeting_map = {old.pk: new for old, new in zip(templates, meetings, strict=True)}
        with_agenda = [m for m in templates if hasattr(m, "agenda")]
        agendas = Agenda.objects.bulk_create(
            [
                copy_of(
                    m.agenda,
                    meeting_id=meeting_map[m.pk].pk,
                    sent_to_chair_at=moved(m.agenda.sent_to_chair_at),
                    agreed_at=moved(m.agenda.agreed_at),
                    returned_at=moved(m.agenda.returned_at),
                    dispatched_at=moved(m.agenda.dispatched_at),
                )
                for m in with_agenda
            ]
        )
        agenda_map = {m.agenda.pk: a for m, a in zip(with_agenda, agendas, strict=True)}
        old_items = list(AgendaItem.objects.filter(agenda__meeting_id__in=ids).order_by("pk"))
        items = AgendaItem.objects.bulk_create(
            [copy_of(i, agenda_id=agenda_map[i.agenda_id].pk) for i in old_items]
        )
        item_map = {old.pk: new for old, new in zip(old_items, items, strict=True)}

        old_papers = list(
            Paper.objects.filter(item_id__in=item_map, is_current=True).order_by("pk")
        )
        public = {i.pk for i in old_items if i.part == Part.PUBLIC}
        fixed = [p.pk for p in old_papers if p.item_id in public][:FIXED_HITS]
        new_papers = []
        for p in old_papers:
            padding = prose(rng, pool, max(words - len(p.text.split()), 0), rare)
            if generation == 1 and p.pk in fixed:
                padding += f"\n\nThe {FIXED_WORD.capitalize()} review was noted."
            new_papers.append(
                copy_of(
                    p,
                    item_id=item_map[p.item_id].pk,
                    public_id=uuid.uuid4(),
                    replaces_id=None,
                    uploaded_at=p.uploaded_at - shift,
                    text=f"{p.text}\n\n{padding}".strip(),
                )
            )
        with keep_given_times(Paper._meta.get_field("uploaded_at")):
            Paper.objects.bulk_create(new_papers, batch_size=200)

        old_minutes = list(Minutes.objects.filter(meeting_id__in=ids, is_current=True))
        Minutes.objects.bulk_create(
            [
                copy_of(
                    mi,
                    meeting_id=meeting_map[mi.meeting_id].pk,
                    replaces_id=None,
                    approved_at_item_id=None,
                    created_at=mi.created_at - shift,
                    circulated_at=moved(mi.circulated_at),
                    approved_at=moved(mi.approved_at),
                    published_at=moved(mi.published_at),
                )
                for mi in old_minutes
            ]
        )

        old_decisions = list(Decision.objects.filter(meeting_id__in=ids).order_by("pk"))
        next_sequence: dict[tuple[int, int], int] = defaultdict(int)
        new_decisions = []
        for d in old_decisions:
            meeting = meeting_map[d.meeting_id]
            year = meeting.date.year
            key = (d.committee_id, year)
            if key not in next_sequence:
                top = Decision.objects.filter(committee_id=d.committee_id, year=year).aggregate(
                    top=Max("sequence")
                )["top"]
                next_sequence[key] = top or 0
            next_sequence[key] += 1
            sequence = next_sequence[key]
            prefix = d.number.rsplit("/", 2)[0] if d.number.count("/") >= 2 else d.number
            new_decisions.append(
                copy_of(
                    d,
                    meeting_id=meeting.pk,
                    item_id=item_map[d.item_id].pk,
                    year=year,
                    sequence=sequence,
                    number=f"{prefix}/{year}/{sequence:02d}",
                    recorded_at=d.recorded_at - shift,
                )
            )
        Decision.objects.bulk_create(new_decisions)
