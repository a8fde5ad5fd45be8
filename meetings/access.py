"""Who may see what of a meeting: the one place that decides, for pages, downloads, API and feeds.

Roles, per committee (DOMAIN.md section 4):
- Secretariat of the committee (and superusers): everything, drafts included.
- Chair, Vice-Chair and Leadership Team: everything, drafts included (they agree the agenda).
- Members and Participants: Part 1 and Part 2 once the agenda is dispatched, except a Part 2
  paper the Chair withheld from them.
- Observers and Attendees: what the public sees, plus Part 2 of a meeting they are invited to.
- Anyone else, signed in or not: Part 1 of a public meeting once dispatched. Of a meeting held
  wholly in private they see only that it exists (date, time, status); for a Part 2 item of a
  public meeting only its number, public description and ground.

Something not visible is answered with 404 by the callers (`get_meeting_for_user`,
`get_paper_for_user`), never 403. To someone signed out it is `SignInFirst`, a 404 that the
site's middleware turns into "sign in, then come back here" (only for something that exists:
a meeting's existence is public anyway, and a paper's address is a random identifier).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from meetings.models import (
    Agenda,
    AgendaItem,
    Decision,
    KeyMessages,
    Meeting,
    MeetingInvitation,
    Minutes,
    Paper,
    PaperWithholding,
    Part,
)
from members.selectors import Capacity, Standing, standing


class SignInFirst(Http404):
    """Not visible to a signed-out person: signing in may show it (the middleware redirects to
    the sign-in page with a `next` back here); a signed-in person not entitled gets 404."""


def _not_found(user, message: str) -> Http404:
    if user is None or not user.is_authenticated:
        return SignInFirst(message)
    return Http404(message)


_CACHE_ATTR = "_icp_committee_access"
# The kinds of entry in that cache: any three distinct names would do.
_STANDING, _INVITED, _WITHHELD = "standing", "invited", "withheld"  # pragma: no mutate
_SUPERUSER = Capacity(secretariat=True)


def _cache(user) -> dict:
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE_ATTR, cache)
    return cache


def standing_of(user, on: dt.date | None = None) -> Standing:
    """`members.selectors.standing`, cached on the user object for the request.

    The facts only: a superuser's powers are applied by `committee_access` and the list forms.
    """
    if user is None or not user.is_authenticated:
        return Standing()
    cache = _cache(user)
    key = (_STANDING, on)
    if key not in cache:
        cache[key] = standing(user, on)
    return cache[key]


def committee_access(user, committee_id: int, on: dt.date | None = None) -> Capacity:
    """The user's standing on a committee (a superuser is secretariat of every committee)."""
    if user is None or not user.is_authenticated:
        return Capacity()
    if user.is_superuser:
        return _SUPERUSER
    return standing_of(user, on).of(committee_id)


def _agenda_of(meeting: Meeting) -> Agenda | None:
    try:
        return meeting.agenda
    except Agenda.DoesNotExist:
        return None


def is_dispatched(meeting: Meeting) -> bool:
    agenda = _agenda_of(meeting)
    return agenda is not None and agenda.state == Agenda.State.DISPATCHED


def is_secretariat(user, committee) -> bool:
    return committee_access(user, committee.pk).secretariat


def can_agree_agenda(user, meeting: Meeting) -> bool:
    """The Chair or a presiding member of the Leadership Team (ToR 12.1.1, 6.8)."""
    return committee_access(user, meeting.committee_id).officer


def meeting_visible_to(user, meeting: Meeting) -> bool:
    """Everyone may know a meeting exists (date, time, place) if its committee is active."""
    return meeting.committee.is_active or committee_access(user, meeting.committee_id).secretariat


def _invited_to_part2(user, meeting: Meeting, access: Capacity) -> bool:
    if access.person_id is None:
        return False
    cache = _cache(user)
    key = (_INVITED, meeting.pk)
    if key not in cache:
        cache[key] = MeetingInvitation.objects.filter(
            meeting=meeting, person_id=access.person_id, part2=True
        ).exists()
    return cache[key]


def item_visible_parts(user, meeting: Meeting) -> frozenset[int]:
    """The parts of the agenda whose items and papers the user may read in full."""
    access = committee_access(user, meeting.committee_id)
    if access.staff:
        return frozenset({Part.PUBLIC, Part.PRIVATE})
    if not is_dispatched(meeting):
        return frozenset()
    if access.member or _invited_to_part2(user, meeting, access):
        return frozenset({Part.PUBLIC, Part.PRIVATE})
    # The public, guests not invited, anyone signed in without a role. A wholly private
    # meeting has no public part at all.
    return frozenset({Part.PUBLIC}) if meeting.is_public else frozenset()


def can_see_part2(user, meeting: Meeting) -> bool:
    return Part.PRIVATE in item_visible_parts(user, meeting)


def _withheld_ids(user, meeting: Meeting, access: Capacity) -> set[int]:
    if access.staff or access.person_id is None:
        return set()
    cache = _cache(user)
    key = (_WITHHELD, meeting.pk)
    if key not in cache:
        cache[key] = set(
            PaperWithholding.objects.filter(
                person_id=access.person_id,
                # Only narrows the set: another meeting's papers are never asked about with this one.
                paper__item__agenda__meeting=meeting,  # pragma: no mutate
            ).values_list("paper_id", flat=True)
        )
    return cache[key]


def paper_visible_to(user, paper: Paper) -> bool:
    meeting = paper.item.agenda.meeting
    if paper.item.part not in item_visible_parts(user, meeting):
        return False
    access = committee_access(user, meeting.committee_id)
    if paper.taken_down_at is not None and not access.staff:
        return False  # taken down: kept for the committee's secretariat and officers only
    return paper.pk not in _withheld_ids(user, meeting, access)


def visible_papers(user, meeting: Meeting) -> QuerySet[Paper]:
    """The papers of a meeting the user may open, current and earlier versions alike."""
    parts = item_visible_parts(user, meeting)
    # Only processed papers (issue 15): an upload being converted or checked is nobody's to read.
    qs = Paper.objects.filter(
        item__agenda__meeting=meeting, item__part__in=parts, state=Paper.State.READY
    )
    access = committee_access(user, meeting.committee_id)
    if not access.staff:
        qs = qs.filter(taken_down_at__isnull=True)
    withheld = _withheld_ids(user, meeting, access)
    if withheld:
        qs = qs.exclude(pk__in=withheld)
    return qs.select_related("item")


def visible_meetings(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(committee__is_active=True).select_related("committee")


def get_meeting_for_user(user, pk: int) -> Meeting:
    meeting = (
        Meeting.objects.select_related(
            "committee",  # pragma: no mutate - implied by committee__rules
            "committee__rules",
            "agenda",
        )
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting")
    if not meeting_visible_to(user, meeting):
        raise _not_found(user, "No such meeting")
    return meeting


def get_paper_for_user(user, public_id) -> Paper:
    paper = (
        Paper.objects.select_related(
            # Each path but the last is implied by the one after it (Django joins the way).
            "item",  # pragma: no mutate
            "item__agenda",  # pragma: no mutate
            "item__agenda__meeting",  # pragma: no mutate
            "item__agenda__meeting__committee",
        )
        .filter(public_id=public_id, state=Paper.State.READY)
        .first()
    )
    if paper is None:
        raise Http404("No such paper")
    if not paper_visible_to(user, paper):
        raise _not_found(user, "No such paper")
    return paper


def get_meeting_for_secretariat(user, pk: int) -> Meeting:
    """For secretariat screens: the meeting if the user serves its committee, else 404."""
    if user is None or not user.is_authenticated:
        raise SignInFirst("No such meeting")
    meeting = get_meeting_for_user(user, pk)
    if not committee_access(user, meeting.committee_id).secretariat:
        raise Http404("No such meeting")
    return meeting


def get_meeting_for_officer(user, pk: int) -> Meeting:
    """For the Chair's screens: the meeting if the user may agree its agenda, else 404."""
    meeting = get_meeting_for_user(user, pk)
    access = committee_access(user, meeting.committee_id)
    if not (access.officer or access.secretariat):
        raise Http404("No such meeting")
    return meeting


# ---------------------------------------------------------------- querysets for lists (API, feeds)
# The same rules as above, expressed as filters so a list over many meetings costs a fixed
# number of queries. tests/meetings/test_api_meetings.py checks they agree with paper_visible_to.


def _reader(user) -> Standing | None:
    """The user's standing for the list forms; None for a superuser, who may read everything."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return None
    return standing_of(user)


def list_rules_key(user) -> tuple:
    """Everything the list forms below may read of a reader. Two readers with the same key get
    the same querysets, SQL and parameters alike, so a caller may build and compile them once a
    key (search does): the superuser, or the reader's whole standing (the person, for
    invitations and withholdings, and every capacity on every committee), so a list form that
    comes to read another fact of the standing cannot give one reader another's statements.
    tests/meetings/test_search_plans.py checks it."""
    s = _reader(user)
    if s is None:
        return ("all",)
    return (s.person_id, tuple(sorted(s.committees.items())))


def _invited_to_part2_q(s: Standing, meeting: str) -> Q:
    """Rows whose meeting (the path `meeting` leads to) invites the reader to Part 2.

    A correlated EXISTS rather than a join through the invitations, so the list forms below
    return each row once without DISTINCT, and a search can check them row by row."""
    if s.person_id is None:
        return Q(pk__in=[])  # only a person can be invited
    invited = MeetingInvitation.objects.filter(
        meeting_id=OuterRef(meeting), person_id=s.person_id, part2=True
    )
    return Q(Exists(invited))


def visible_items_queryset(user):
    """Agenda items whose line the user may see (Part 2 lines still need `item_visible_parts`
    to decide between full and redacted)."""

    s = _reader(user)
    qs = AgendaItem.objects.filter(agenda__meeting__committee__is_active=True)
    if s is None:
        return qs
    dispatched = Q(agenda__state=Agenda.State.DISPATCHED)
    rule = Q(agenda__meeting__committee_id__in=s.staff_of) | (
        dispatched
        & (
            Q(agenda__meeting__committee_id__in=s.member_of)
            | Q(agenda__meeting__is_public=True)
            | _invited_to_part2_q(s, "agenda__meeting_id")
        )
    )
    return qs.filter(rule)


def visible_papers_queryset(user) -> QuerySet[Paper]:
    """Every paper the user may open, across meetings."""

    s = _reader(user)
    qs = Paper.objects.filter(
        item__agenda__meeting__committee__is_active=True, state=Paper.State.READY
    )
    if s is None:
        return qs
    dispatched = Q(item__agenda__state=Agenda.State.DISPATCHED)
    public = Q(item__agenda__meeting__is_public=True, item__part=Part.PUBLIC)
    entitled = Q(item__agenda__meeting__committee_id__in=s.member_of) | _invited_to_part2_q(
        s, "item__agenda__meeting_id"
    )
    rule = Q(item__agenda__meeting__committee_id__in=s.staff_of) | (
        dispatched & (public | entitled)
    )
    qs = qs.filter(rule).exclude(
        Q(taken_down_at__isnull=False) & ~Q(item__agenda__meeting__committee_id__in=s.staff_of)
    )
    if s.person_id is not None:
        withheld = PaperWithholding.objects.filter(paper_id=OuterRef("pk"), person_id=s.person_id)
        qs = qs.exclude(Exists(withheld) & ~Q(item__agenda__meeting__committee_id__in=s.staff_of))
    return qs


# ------------------------------------------------------------ minutes and decisions (issue 6)
# Part 1 of published minutes is public (for a public meeting); Part 2 goes to Members and
# Participants once circulated, never to observers, attendees or the public (DOMAIN section 4).


def sees_part2_record(user, committee_id: int) -> bool:
    """Whether the user may read the committee's Part 2 minutes and full Part 2 decisions."""
    access = committee_access(user, committee_id)
    return access.staff or access.member


def minutes_visible_to(user, minutes, part: int) -> bool:
    """Whether `user` may read `part` (1 or 2) of this version of the minutes."""

    meeting = minutes.meeting
    access = committee_access(user, meeting.committee_id)
    if access.staff:
        return True
    if not meeting.committee.is_active or minutes.taken_down_at is not None:
        return False
    if access.member and minutes.state != Minutes.State.DRAFT:
        return True
    return part == Part.PUBLIC and meeting.is_public and minutes.state == Minutes.State.PUBLISHED


def decision_notice_visible_to(user, decision) -> bool:
    """A decision's notice, unless it was taken down (then the committee's staff only)."""
    if decision.notice_taken_down_at is None:
        return True
    return committee_access(user, decision.committee_id).staff


def decision_full_text_visible_to(user, decision) -> bool:
    """Part 1 decisions of a public meeting are public in full; otherwise only the summary,
    unless the user may read the committee's Part 2 record."""
    if decision.notice_taken_down_at is not None:
        return committee_access(user, decision.committee_id).staff
    if decision.part == Part.PUBLIC and decision.meeting.is_public:
        return True
    return sees_part2_record(user, decision.committee_id)


def readable_items_queryset(user):
    """Agenda items the user may read in full (title, description), across meetings.

    The list form of `item_visible_parts`: Part 1 of a dispatched public meeting for everyone;
    both parts for the committee's staff, and once dispatched for its members and anyone
    invited to Part 2. A Part 2 line outside this set shows only its public description.
    """

    s = _reader(user)
    qs = AgendaItem.objects.filter(agenda__meeting__committee__is_active=True)
    if s is None:
        return qs
    dispatched = Q(agenda__state=Agenda.State.DISPATCHED)
    public = Q(agenda__meeting__is_public=True, part=Part.PUBLIC)
    entitled = Q(agenda__meeting__committee_id__in=s.member_of) | _invited_to_part2_q(
        s, "agenda__meeting_id"
    )
    rule = Q(agenda__meeting__committee_id__in=s.staff_of) | (dispatched & (public | entitled))
    return qs.filter(rule)


def redacted_items_queryset(user):
    """Part 2 agenda lines the user may see but not read: for these only the number, the public
    description and the ground are shown (`visible_items_queryset` less
    `readable_items_queryset`, checked row by row)."""

    readable = readable_items_queryset(user).filter(pk=OuterRef("pk"))
    # Whoever reads: the Part 2 lines anyone may see but not read are the public's (a public
    # meeting's, once dispatched), so the lines the public sees would give the same answer.
    visible = visible_items_queryset(user)  # pragma: no mutate
    return visible.filter(part=Part.PRIVATE).exclude(Exists(readable))


# ------------------------------------------- minutes and decisions as querysets (feeds, search)
# The list forms of `minutes_visible_to` and `decision_full_text_visible_to`, so a feed or a search
# over many meetings costs a fixed number of queries. tests/meetings/test_record_publications.py
# checks that each agrees with its predicate for every persona.


def minutes_visible_queryset(user, part: int):
    """Minutes versions (any version, current or not) whose `part` the user may read."""

    s = _reader(user)
    qs = Minutes.objects.all()
    if s is None:
        return qs
    staff = Q(meeting__committee_id__in=s.staff_of)
    members = Q(meeting__committee_id__in=s.member_of) & ~Q(state=Minutes.State.DRAFT)
    readable = members
    if int(part) == Part.PUBLIC:
        readable |= Q(meeting__is_public=True, state=Minutes.State.PUBLISHED)
    live = Q(meeting__committee__is_active=True, taken_down_at__isnull=True)
    return qs.filter(staff | (live & readable))


def decisions_full_text_queryset(user):
    """Decisions whose full text (not only the public summary) the user may read."""

    s = _reader(user)
    qs = Decision.objects.all()
    if s is None:
        return qs
    rule = Q(notice_taken_down_at__isnull=True) & (
        Q(part=Part.PUBLIC, meeting__is_public=True) | Q(committee_id__in=s.member_of)
    )
    return qs.filter(rule | Q(committee_id__in=s.staff_of))


def listed_decisions_queryset(user):
    """Decisions the user may find in a register at all (by summary at least): those of active
    committees, and of any committee the user serves as staff."""

    s = _reader(user)
    qs = Decision.objects.all()
    if s is None:
        return qs
    # A decision whose notice was taken down is listed for the committee's staff only.
    live = Q(committee__is_active=True, notice_taken_down_at__isnull=True)
    return qs.filter(live | Q(committee_id__in=s.staff_of))


# ------------------------------------------------------------- key messages (issue 14)
# A summary of key messages is published to everyone for a public meeting, to the committee's
# members for a meeting held wholly in private; a draft or an approved version not yet sent is
# the secretariat's only. Its text is written from Part 1 business (meetings.minutes.rules).


def key_messages_visible_to(user, key_messages) -> bool:
    """Whether `user` may read this version of a meeting's key messages."""
    meeting = key_messages.meeting
    access = committee_access(user, meeting.committee_id)
    if access.staff:
        return True
    if not meeting.committee.is_active or key_messages.state != KeyMessages.State.PUBLISHED:
        return False
    return meeting.is_public or access.member


def key_messages_visible_queryset(user):
    """The list form of `key_messages_visible_to`, for feeds, search and the API."""
    s = _reader(user)
    qs = KeyMessages.objects.all()
    if s is None:
        return qs
    published = Q(state=KeyMessages.State.PUBLISHED, meeting__committee__is_active=True) & (
        Q(meeting__is_public=True) | Q(meeting__committee_id__in=s.member_of)
    )
    return qs.filter(Q(meeting__committee_id__in=s.staff_of) | published)
