"""Demo data: the two ICPs of the seeds, with real organisation and seat names, fictional people.

`load()` is idempotent: every row is found by a natural key (an organisation's name, a committee's
slug, a seat's order on its committee, a person's email, a user's username) and updated in place,
so `manage.py load_demo` can run any number of times without duplicates. Rows are validated with
`full_clean()` so the demo obeys the same rules as the screens.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from committees.models import (
    Committee,
    CommitteeRules,
    CountingBasis,
    OfficeEligibility,
    OfficeKind,
    Organisation,
    Part2Ground,
    Place,
    PresidingFallback,
    QuorumCondition,
    Role,
    Seat,
)
from committees.rotation import add_years
from members.models import Membership, Office, Person

DEMO_PASSWORD = "demo-password-2026"
SINCE = dt.date(2022, 7, 1)  # ICSs and ICPs were established on 1 July 2022.
EMAIL_DOMAIN = "demo.icp.example.org"

# K&M ToR 6.3, quoted exactly where a refusal names it.
KM_TOR_6_3 = (
    "The Chair of the Joint Committee shall be either the Leader of Kent County Council or "
    "Medway Council and will be elected at the first meeting of the Joint Committee to serve as "
    "Chair for a two year period. The Chair will rotate every two years between the Local "
    "Authority leaders."
)
KM_SLUG = "kent-medway-icp"
# Each ToR's version as its document states it (issue 14: meetings show the version held under).
KM_TOR_VERSION = "Draft, Appendix 2 to the report to County Council of 26 May 2022"
KM_TOR_VERSION_FROM = dt.date(2022, 5, 26)
MSE_TOR_VERSION = "Draft v1"
MSE_TOR_VERSION_FROM = dt.date(2022, 5, 11)
KM_SUB_SLUG = "km-social-economic-development"
MSE_SLUG = "mid-south-essex-icp"


@dataclass(frozen=True)
class DemoLogin:
    persona: str
    username: str
    who: str


# One login per persona, printed by `load_demo` and `make run` and listed in README.md.
DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("Secretariat officer", "secretariat", "Runs the Kent and Medway committees"),
    DemoLogin("Secretariat officer", "mse-secretariat", "Runs the Mid and South Essex ICP"),
    DemoLogin("Chair", "chair", "Chair of the K&M Joint Committee (Leader of KCC)"),
    DemoLogin("Member", "member", "Elected executive member, Kent County Council"),
    DemoLogin("Participant", "participant", "Director of Public Health, Kent County Council"),
    DemoLogin("Observer", "observer", "Observer at the K&M Joint Committee"),
    DemoLogin("Admin", "admin", "Superuser: Django admin at /admin/"),
)


# --- small idempotent helpers -------------------------------------------------------------------


# Where each rule is in each ToR (committees.models.RuleTopic): K&M numbers its paragraphs
# (Appendix 2); M&SE words its rules under headings. A rule a ToR does not state has no entry.
KM_REFERENCES = {
    "chair_rotation": "6.3",
    "deputies": "6.2",
    "attendees": "6.5",
    "observers": "6.6",
    "leadership_team": "6.7",
    "presiding": "6.8",
    "part2": "7.1",
    "part2_order": "7.2",
    "urgent_meeting": "7.3",
    "voting": "7.4",
    "declarations": "7.5",
    "quorum": "8.1",
    "public_health": "8.2",
    "remote": "8.3",
    "frequency": "10.1",
    "notice": "10.2",
    "agenda": "12.1.1",
    "papers": "12.2",
    "item_requests": "12.3",
    "minutes": "12.4",
    "public_record": "13.2",
    "self_assessment": "11.5",
    "tor_review": "14.1",
    "conflict_deputies": "6.2",
}
MSE_REFERENCES = {
    "deputies": "Appendix 2, Deputies",
    "attendees": "Appendix 1, Additional Attendees",
    "voting": "Voting",
    "declarations": "Conflicts of Interest",
    "frequency": "Conduct & Operation",
    "notice": "Conduct & Operation",
    "agenda": "Conduct & Operation",
    "papers": "Conduct & Operation",
    "minutes": "Accountability and Reporting",
    "key_messages": "Accountability and Reporting",
    "tor_review": "Review",
    "conflict_deputies": "Conflicts of Interest",
}


def _upsert(model: type[models.Model], lookup: dict, values: dict | None = None):
    """Find a row by its natural key, set `values`, validate and save only if something changed."""
    obj = model.objects.filter(**lookup).first()
    values = values or {}
    if obj is None:
        obj = model(**lookup, **values)
    else:
        changed = [k for k, v in values.items() if getattr(obj, k) != v]
        if not changed:
            return obj
        for k, v in values.items():
            setattr(obj, k, v)
    obj.full_clean()
    obj.save()
    return obj


def org(
    name: str, kind: str, short_name: str = "", website: str = "", contact: tuple[str, str] = ()
) -> Organisation:
    """`contact`: the governance contact (name, email) who receives the minutes, where given."""
    values = {"kind": kind, "short_name": short_name, "website": website}
    if contact:
        values |= {"governance_contact_name": contact[0], "governance_contact_email": contact[1]}
    return _upsert(Organisation, {"name": name}, values)


# K&M ToR 12.4: the minutes are presented to KCC, Medway Council and the ICB. Fictional people
# at reserved example addresses.
KM_GOVERNANCE_CONTACTS = {
    "ICB": ("Harriet Osei, Board Secretary", "board.secretary@kmicb.example"),
    "KCC": ("Daniel Whitlock, Democratic Services Manager", "democratic.services@kent.example"),
    "Medway": ("Priya Chandran, Head of Democratic Services", "committee.team@medway.example"),
}


def place(name: str, kind: str) -> Place:
    return _upsert(Place, {"name": name}, {"kind": kind})


def person(
    first: str, last: str, *, honorific: str = "", job_title: str = "", username: str = ""
) -> Person:
    email = f"{first}.{last}@{EMAIL_DOMAIN}".lower().replace(" ", "").replace("'", "")
    user = None
    if username:
        user = user_account(username, email=email, first=first, last=last)
    # Only what is given is set, so a person seen again (on a sub-committee) keeps their details.
    values: dict = {"first_name": first, "last_name": last}
    if honorific:
        values["honorific"] = honorific
    if job_title:
        values["job_title"] = job_title
    if user is not None:
        values["user"] = user
    return _upsert(Person, {"email": email}, values)


@cache
def _password_hash(hashers: tuple[str, ...]) -> str:
    """The demo password hashed once for every demo login (per set of hashers): it is the same,
    published password for all of them, and production's hasher (PBKDF2, 1.2 million
    iterations) takes about half a second each time, on a fresh `make run` 3.6 s for seven."""
    return make_password(DEMO_PASSWORD)


def user_account(
    username: str, *, email: str, first: str = "", last: str = "", superuser: bool = False
):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": email, "first_name": first, "last_name": last},
    )
    if created or superuser != user.is_superuser:
        user.is_superuser = user.is_staff = superuser
        user.password = _password_hash(tuple(settings.PASSWORD_HASHERS))
        user.save()
    return user


def seat(
    committee: Committee,
    order: int,
    title: str,
    *,
    reference: str = "",
    role: str = Role.MEMBER,
    organisation: Organisation | None = None,
    place: Place | None = None,
) -> Seat:
    return _upsert(
        Seat,
        {"committee": committee, "order": order},
        {
            "title": title,
            "reference": reference,
            "role": role,
            "organisation": organisation,
            "place": place,
        },
    )


def hold(
    committee: Committee,
    the_seat: Seat | None,
    who: Person,
    *,
    role: str | None = None,
    organisation: Organisation | None = None,
    deputy_for: Membership | None = None,
    start: dt.date = SINCE,
) -> Membership:
    """`who` holds `the_seat` (or, without a seat, a role such as Observer) since `start`."""
    role = role or the_seat.role
    voting = role == Role.MEMBER
    if deputy_for is not None:
        voting = voting and committee.rules.deputies_may_vote
    lookup = {"committee": committee, "person": who, "role": role, "seat": the_seat}
    if deputy_for is not None:
        lookup["deputy_for"] = deputy_for
    return _upsert(
        Membership,
        lookup,
        {
            "voting": voting,
            "organisation": organisation or (the_seat.organisation if the_seat else None),
            "place": the_seat.place if the_seat else None,
            "start": start,
            "end": None,
        },
    )


def office(
    committee: Committee, who: Person, kind: str, start: dt.date, end: dt.date | None = None
) -> Office:
    return _upsert(
        Office,
        {"committee": committee, "person": who, "kind": kind, "start": start},
        {"end": end},
    )


def rules(committee: Committee, **values) -> CommitteeRules:
    return _upsert(CommitteeRules, {"committee": committee}, values)


def eligible(
    committee_rules: CommitteeRules, kind: str, seats: list[Seat], reference: str, wording: str
) -> OfficeEligibility:
    """Only the holders of `seats` may hold office `kind`, as the ToR paragraph words it."""
    row = _upsert(
        OfficeEligibility,
        {"rules": committee_rules, "office": kind},
        {"reference": reference, "wording": wording},
    )
    row.seats.set(seats)
    return row


def conditions(committee_rules: CommitteeRules, specs: list[dict]) -> None:
    for order, spec in enumerate(specs, start=1):
        _upsert(
            QuorumCondition,
            {"rules": committee_rules, "order": order},
            {"organisation": None, "office": "", **spec},
        )
    committee_rules.conditions.filter(order__gt=len(specs)).delete()


def grounds(committee: Committee, items: list[tuple[str, str]]) -> None:
    for order, (reference, text) in enumerate(items, start=1):
        _upsert(
            Part2Ground,
            {"committee": committee, "reference": reference},
            {"text": text, "order": order},
        )


def add_missing(related, *objs) -> None:
    """`related.add()` only for what is missing: each add writes a history row even if a no-op."""
    have = set(related.values_list("pk", flat=True))
    missing = [o for o in objs if o.pk not in have]
    if missing:
        related.add(*missing)


def committee_row(slug: str, name: str, **values) -> Committee:
    return _upsert(Committee, {"slug": slug}, {"name": name, **values})


# --- the Terms of Reference texts ---------------------------------------------------------------

KM_PURPOSE = """The purpose of the Joint Committee is:
1. To produce an Integrated Care Strategy, developed with respective system partners and \
stakeholders, which covers the needs of the whole population of Kent and Medway.
2. To influence improvement in the wider determinants of health and broader social and economic \
development, in areas such as housing, climate, transport, sport and leisure, etc.
3. In developing the strategy, this should include development of a plan to address the broad \
health and social care needs of the population within Kent and Medway.
4. Aligned to the Integrated Care Strategy, to develop and agree a suite of corresponding outcome \
measures - based on robust data, intelligence, research and innovation - to improve the health \
and well-being of the population at large.
5. To seek on-going assurance in delivery of the strategy and associated outcome measures and, \
where required, agree actions to secure this assurance.
6. To support the bringing together of health and care partnerships and coalitions with \
community partners which are well-situated to act on the wider determinants of health in the \
local area."""

KM_PART2_GROUNDS = [
    ("7.1.1", "The confidential nature of the business to be transacted"),
    ("7.1.2", "The matter being commercially sensitive or confidential"),
    ("7.1.3", "The matter being discussed is part of an on-going investigation"),
    (
        "7.1.4",
        "The matter to be discussed contains information about individual patients or other "
        "individuals which includes sensitive personal data",
    ),
    (
        "7.1.5",
        "Information in respect of which a claim to legal professional privilege could be "
        "maintained in legal proceedings is to be discussed",
    ),
    (
        "7.1.6",
        "Any other reason permitted by the Public Bodies (Admission to Meetings) Act 1960 as "
        "amended or succeeded from time to time",
    ),
    (
        "7.1.7",
        "To allow the meeting to proceed without interruption, disruption and/or general "
        "disturbance",
    ),
]

SCHEDULE_12A_GROUNDS = [
    ("Para 1", "Information relating to any individual"),
    ("Para 2", "Information which is likely to reveal the identity of an individual"),
    (
        "Para 3",
        "Information relating to the financial or business affairs of any particular person "
        "(including the authority holding that information)",
    ),
    (
        "Para 4",
        "Information relating to any consultations or negotiations, or contemplated "
        "consultations or negotiations, in connection with any labour relations matter arising "
        "between the authority or a Minister of the Crown and employees of, or office holders "
        "under, the authority",
    ),
    (
        "Para 5",
        "Information in respect of which a claim to legal professional privilege could be "
        "maintained in legal proceedings",
    ),
    (
        "Para 6",
        "Information which reveals that the authority proposes to give under any enactment a "
        "notice under or by virtue of which requirements are imposed on a person, or to make an "
        "order or direction under any enactment",
    ),
    (
        "Para 7",
        "Information relating to any action taken or to be taken in connection with the "
        "prevention, investigation or prosecution of crime",
    ),
]

MSE_PURPOSE = """The Integrated Care Partnership is a partnership across Mid and South Essex, \
established by the Mid and South Essex Integrated Care Board and the three upper tier local \
authorities (Southend City Council, Essex County Council and Thurrock Council) as equal partners, \
with a focus on aligning purpose and ambitions to support the residents of Mid and South Essex. \
It will facilitate joint action to improve health and care outcomes, to influence the wider \
determinants of health and broader social and economic development, and has specific \
responsibility for developing the Mid and South Essex Integrated Care Strategy for the whole \
population."""

K = Organisation.Kind


# --- Kent and Medway ----------------------------------------------------------------------------


def load_kent_medway(secretariat_user) -> Committee:
    contacts = KM_GOVERNANCE_CONTACTS
    icb = org(
        "Kent and Medway ICB",
        K.ICB,
        "ICB",
        "https://www.kentandmedway.icb.nhs.uk/",
        contacts["ICB"],
    )
    kcc = org(
        "Kent County Council", K.UPPER_TIER, "KCC", "https://www.kent.gov.uk/", contacts["KCC"]
    )
    medway = org(
        "Medway Council", K.UPPER_TIER, "Medway", "https://www.medway.gov.uk/", contacts["Medway"]
    )

    # The four Health and Care Partnerships: each is a Place, and its partnership an organisation
    # (the HCP chair represents it), with one district council from within its geography.
    hcps = []
    for area, district, district_short in [
        ("Dartford, Gravesham and Swanley", "Dartford Borough Council", "Dartford BC"),
        ("West Kent", "Tunbridge Wells Borough Council", "TWBC"),
        ("East Kent", "Canterbury City Council", "Canterbury CC"),
        ("Medway and Swale", "Swale Borough Council", "Swale BC"),
    ]:
        hcps.append(
            (
                area,
                place(area, Place.Kind.HCP),
                org(f"{area} Health and Care Partnership", K.OTHER, f"{area} HCP"),
                org(district, K.DISTRICT, district_short),
            )
        )

    km = committee_row(
        KM_SLUG,
        "Kent and Medway Integrated Care Partnership Joint Committee",
        short_name="Kent and Medway ICP",
        parent=None,
        purpose=KM_PURPOSE,
        established=SINCE,
    )
    add_missing(km.statutory_partners, icb, kcc, medway)
    add_missing(km.places, *(p for _, p, _, _ in hcps))
    add_missing(km.secretariat, secretariat_user)

    km_rules = rules(
        km,
        holiday_region="ENG",
        notice_days=5,
        notice_counting=CountingBasis.CLEAR,
        papers_days=5,
        papers_counting=CountingBasis.CLEAR,
        item_request_days=20,
        item_request_counting=CountingBasis.CLEAR,
        urgent_item_request_days=10,
        urgent_item_request_counting=CountingBasis.CLEAR,
        max_months_between_meetings=3,
        deputies_allowed=False,
        deputies_may_vote=False,
        # 6.2: "Members are not permitted to have deputies to represent them", for a matter too.
        conflict_deputies_allowed=False,
        chair_has_casting_vote=False,
        majority_basis=CommitteeRules.MajorityBasis.PRESENT,
        remote_attendance=CommitteeRules.RemoteAttendance.CHAIR_DISCRETION,
        quorum_basis=CommitteeRules.QuorumBasis.FIXED,
        quorum_number=9,
        self_assessment_required=True,
        # 6.3: "elected at the first meeting ... The Chair will rotate every two years".
        chair_rotation_years=2,
        chair_rotation_start=SINCE,
        # 12.4: "A copy of the minutes ... will be presented to KCC, Medway Council and the ICB";
        # the ToR ask for no separate summary of key messages.
        minutes_to_partners=True,
        key_messages_required=False,
        # 10.2.1: five clear working days' notice, "except where a meeting to discuss an urgent
        # issue is required"; 12.1.1: "Agreement of the agenda with the Chair"; 7.3: an urgent
        # meeting "Where possible ... agreed by the Leadership Team".
        notice_applies_to=CommitteeRules.NoticeAppliesTo.ALL_BUT_URGENT,
        agenda_agreed_by=CommitteeRules.AgendaAgreedBy.CHAIR,
        urgent_meeting_needs_leadership_agreement=True,
        # The document: the draft Terms of Reference at Appendix 2 of the report to County
        # Council of 26 May 2022 ("Approved: xxxxx", its version control table empty).
        tor_version=KM_TOR_VERSION,
        tor_version_from=KM_TOR_VERSION_FROM,
        references=KM_REFERENCES,
    )
    conditions(
        km_rules,
        [
            {"kind": QuorumCondition.Kind.ORGANISATION, "minimum": 1, "organisation": kcc},
            {"kind": QuorumCondition.Kind.ORGANISATION, "minimum": 1, "organisation": medway},
            {"kind": QuorumCondition.Kind.ORGANISATION, "minimum": 1, "organisation": icb},
            {
                "kind": QuorumCondition.Kind.OFFICE,
                "minimum": 1,
                "office": OfficeKind.LEADERSHIP_TEAM,
            },
            {"kind": QuorumCondition.Kind.PLACES, "minimum": 2},
        ],
    )
    grounds(km, KM_PART2_GROUNDS)

    # ToR 6.1: the 17 voting Member seats, worded as the ToR words them.
    n = iter(range(1, 100))
    kcc_leader = seat(
        km, next(n), "Leader of Kent County Council", reference="6.1.1", organisation=kcc
    )
    medway_leader = seat(
        km, next(n), "Leader of Medway Council", reference="6.1.2", organisation=medway
    )
    icb_chair = seat(
        km, next(n), "Chair of the Kent and Medway ICB", reference="6.1.3", organisation=icb
    )
    kcc_exec = [
        seat(
            km,
            next(n),
            "Elected executive member, Kent County Council",
            reference="6.1.4",
            organisation=kcc,
        )
        for _ in range(2)
    ]
    medway_exec = [
        seat(
            km,
            next(n),
            "Elected executive member, Medway Council",
            reference="6.1.5",
            organisation=medway,
        )
        for _ in range(2)
    ]
    icb_ned = seat(km, next(n), "ICB Non-Executive Director", reference="6.1.6", organisation=icb)
    icb_partner = seat(
        km, next(n), "ICB Partner Member (primary care)", reference="6.1.7", organisation=icb
    )
    hcp_chairs = [
        seat(
            km,
            next(n),
            f"Chair of the {area} Health and Care Partnership",
            reference="6.1.8",
            organisation=hcp_org,
            place=area_place,
        )
        for area, area_place, hcp_org, _ in hcps
    ]
    district_reps = [
        seat(
            km,
            next(n),
            f"District council representative, {area} Health and Care Partnership",
            reference="6.1.9",
            organisation=district,
            place=area_place,
        )
        for area, area_place, _, district in hcps
    ]

    # Fictional people. The persona logins hold the seats the README says they hold.
    leader_kcc = person(
        "Margaret",
        "Ashdown",
        honorific="Cllr",
        job_title="Leader, Kent County Council",
        username="chair",
    )
    leader_medway = person("Daniel", "Okafor", honorific="Cllr", job_title="Leader, Medway Council")
    chair_icb = person("Helen", "Marsh", job_title="Chair, Kent and Medway ICB")
    holders = [
        (kcc_leader, leader_kcc),
        (medway_leader, leader_medway),
        (icb_chair, chair_icb),
        (
            kcc_exec[0],
            person(
                "Peter",
                "Hollingbourne",
                honorific="Cllr",
                job_title="Cabinet Member for Adult Social Care and Public Health",
                username="member",
            ),
        ),
        (
            kcc_exec[1],
            person(
                "Sunita",
                "Rai",
                honorific="Cllr",
                job_title="Cabinet Member for Integrated Children's Services",
            ),
        ),
        (
            medway_exec[0],
            person(
                "Gareth",
                "Lloyd",
                honorific="Cllr",
                job_title="Portfolio Holder for Adults' Services",
            ),
        ),
        (
            medway_exec[1],
            person(
                "Amara",
                "Mensah",
                honorific="Cllr",
                job_title="Portfolio Holder for Children's Services",
            ),
        ),
        (
            icb_ned,
            person(
                "Robert", "Fairweather", job_title="Non-Executive Director, Kent and Medway ICB"
            ),
        ),
        (
            icb_partner,
            person(
                "Priya",
                "Chandran",
                honorific="Dr",
                job_title="Partner Member (primary care), Kent and Medway ICB",
            ),
        ),
        (
            hcp_chairs[0],
            person(
                "Thomas",
                "Greenhithe",
                honorific="Dr",
                job_title="Chair, Dartford, Gravesham and Swanley HCP",
            ),
        ),
        (hcp_chairs[1], person("Eleanor", "Pembury", job_title="Chair, West Kent HCP")),
        (
            hcp_chairs[2],
            person("Samuel", "Whitstable", honorific="Dr", job_title="Chair, East Kent HCP"),
        ),
        (hcp_chairs[3], person("Fiona", "Sheppey", job_title="Chair, Medway and Swale HCP")),
        (
            district_reps[0],
            person("Ian", "Stone", honorific="Cllr", job_title="Dartford Borough Council"),
        ),
        (
            district_reps[1],
            person(
                "Rachel", "Pantiles", honorific="Cllr", job_title="Tunbridge Wells Borough Council"
            ),
        ),
        (
            district_reps[2],
            person("Marcus", "Harbledown", honorific="Cllr", job_title="Canterbury City Council"),
        ),
        (
            district_reps[3],
            person("Joanna", "Faversham", honorific="Cllr", job_title="Swale Borough Council"),
        ),
    ]
    for the_seat, who in holders:
        hold(km, the_seat, who)

    # ToR 6.4: standing non-voting Participants, one seat per person where the ToR uses a plural.
    healthwatch_kent = org("Healthwatch Kent", K.HEALTHWATCH, "Healthwatch Kent")
    healthwatch_medway = org("Healthwatch Medway", K.HEALTHWATCH, "Healthwatch Medway")
    vcse = org(
        "Kent and Medway Voluntary, Community and Social Enterprise Steering Group",
        K.VCSE,
        "VCSE Steering Group",
    )
    kica = org("Kent Integrated Care Alliance", K.OTHER, "KICA")
    ahsn = org("Kent, Surrey and Sussex Academic Health Science Network", K.ACADEMIC, "KSS AHSN")
    lmc = org("Kent Local Medical Committee", K.OTHER, "Kent LMC")
    P = Role.PARTICIPANT
    participants = [
        ("Medway Council Chief Executive", "6.4.1", medway, ("Catherine", "Rochester", "", "")),
        ("Kent County Council Head of Paid Service", "6.4.2", kcc, ("Andrew", "Maidstone", "", "")),
        ("Kent and Medway ICB Chief Executive", "6.4.3", icb, ("Louise", "Darenth", "", "")),
        (
            "Director of Public Health, Kent County Council",
            "6.4.4",
            kcc,
            ("Nadia", "Hussain", "Dr", "participant"),
        ),
        (
            "Director of Public Health, Medway Council",
            "6.4.4",
            medway,
            ("Owen", "Chatham", "Dr", ""),
        ),
        ("Kent and Medway ICB Medical Director", "6.4.5", icb, ("Julian", "Wye", "Dr", "")),
        (
            "Representative of Healthwatch Kent",
            "6.4.6",
            healthwatch_kent,
            ("Grace", "Elham", "", ""),
        ),
        (
            "Representative of Healthwatch Medway",
            "6.4.6",
            healthwatch_medway,
            ("Kwame", "Asante", "", ""),
        ),
        (
            "Representative of the Kent and Medway Voluntary, Community and Social Enterprise Steering Group",
            "6.4.7",
            vcse,
            ("Bethany", "Lydd", "", ""),
        ),
        (
            "Director of Adult Social Care, Kent County Council",
            "6.4.8",
            kcc,
            ("Richard", "Sandwich", "", ""),
        ),
        (
            "Director of Children's Services, Kent County Council",
            "6.4.8",
            kcc,
            ("Hannah", "Deal", "", ""),
        ),
        (
            "Director of Adult Social Care, Medway Council",
            "6.4.8",
            medway,
            ("Michael", "Strood", "", ""),
        ),
        (
            "Director of Children's Services, Medway Council",
            "6.4.8",
            medway,
            ("Zainab", "Gillingham", "", ""),
        ),
        (
            "Representative of Kent Integrated Care Alliance",
            "6.4.9",
            kica,
            ("Christopher", "Minster", "", ""),
        ),
        (
            "Representative of the Kent, Surrey and Sussex Academic Health Science Network",
            "6.4.10",
            ahsn,
            ("Laura", "Hythe", "Professor", ""),
        ),
        (
            "Representative of the Local Medical Committee",
            "6.4.11",
            lmc,
            ("Edward", "Tenterden", "Dr", ""),
        ),
    ]
    public_health_seats = []
    for title, ref, organisation, (first, last, honorific, username) in participants:
        the_seat = seat(km, next(n), title, reference=ref, role=P, organisation=organisation)
        hold(
            km,
            the_seat,
            person(first, last, honorific=honorific, job_title=title, username=username),
        )
        if ref == "6.4.4":
            public_health_seats.append(the_seat)
    # ToR 8.2: "Whilst not part of the quorum, the Joint Committee shall endeavour to always have
    # a public health representative in attendance": the Directors of Public Health (6.4.4).
    km_rules.public_health_seats.set(public_health_seats)

    # ToR 6.6: an observer, invited by the Chair, with no seat.
    nhse = org("NHS England", K.OTHER, "NHSE", "https://www.england.nhs.uk/")
    observer = person(
        "Olivia",
        "Sevenoaks",
        job_title="Senior Governance Manager, NHS England South East",
        username="observer",
    )
    hold(km, None, observer, role=Role.OBSERVER, organisation=nhse)

    # Who may hold each office, in the ToR's words. The Vice-Chair is not in the ToR (only the
    # covering report, 3.1), so any Member may hold it.
    eligible(km_rules, OfficeKind.CHAIR, [kcc_leader, medway_leader], "6.3", KM_TOR_6_3)
    eligible(
        km_rules,
        OfficeKind.LEADERSHIP_TEAM,
        [kcc_leader, medway_leader, icb_chair],
        "6.7",
        "… a Leadership Team comprising the two Local Authority leaders and the Chair of the "
        "ICB will be established …",
    )

    # ToR 6.7: the Leadership Team; ToR 6.3: the Chair rotates every two years between the
    # KCC and Medway leaders, from the first meeting, each term ending at its two years (the
    # covering report: KCC's Leader first, the other Leader acting as Vice-Chair).
    for who in (leader_kcc, leader_medway, chair_icb):
        office(km, who, OfficeKind.LEADERSHIP_TEAM, SINCE)
    leaders = (leader_kcc, leader_medway)
    for n in range(3):  # 2022-24 KCC, 2024-26 Medway, 2026-28 KCC (the current term)
        start = add_years(SINCE, 2 * n)
        end = add_years(SINCE, 2 * (n + 1)) - dt.timedelta(days=1)
        office(km, leaders[n % 2], OfficeKind.CHAIR, start, end)
        office(km, leaders[(n + 1) % 2], OfficeKind.VICE_CHAIR, start, end)

    # ToR 6.8: "the other Local Authority leader will preside ... Where neither leader is
    # available to preside, the ICB Chair will preside": by seats, whoever is Vice-Chair.
    _upsert(
        PresidingFallback,
        {"rules": km_rules, "order": 1},
        {"office": "", "seat": None, "other_rotation_seat": True},
    )
    _upsert(
        PresidingFallback,
        {"rules": km_rules, "order": 2},
        {"office": "", "seat": icb_chair, "other_rotation_seat": False},
    )

    load_km_subcommittee(km, secretariat_user, kcc=kcc, medway=medway, icb=icb, hcps=hcps)
    return km


def load_km_subcommittee(km: Committee, secretariat_user, *, kcc, medway, icb, hcps) -> Committee:
    """The Broadening Social and Economic Development Sub-committee (ToR 11.3, main report)."""
    sub = committee_row(
        KM_SUB_SLUG,
        "Broadening Social and Economic Development Sub-committee",
        short_name="Social and Economic Development Sub-committee",
        parent=km,
        purpose=(
            "To inform the development of the Integrated Care Strategy and address the wider "
            "determinants of health such as economic and social wellbeing, drawing on partners "
            "with expertise in employment, community safety, housing, economic development, "
            "environment, leisure and planning."
        ),
        established=dt.date(2023, 1, 1),
    )
    add_missing(sub.statutory_partners, icb, kcc, medway)
    add_missing(sub.places, *(p for _, p, _, _ in hcps))
    add_missing(sub.secretariat, secretariat_user)
    sub_rules = rules(
        sub,
        max_months_between_meetings=3,
        deputies_allowed=True,
        deputies_may_vote=False,
        quorum_basis=CommitteeRules.QuorumBasis.FIXED,
        quorum_number=4,
        # It reports to the Joint Committee; 12.4 sends the Joint Committee's minutes on.
        minutes_to_partners=False,
        key_messages_required=False,
    )
    conditions(sub_rules, [])
    grounds(sub, KM_PART2_GROUNDS)

    housing = org("Kent Housing Group", K.OTHER, "KHG")
    kmep = org("Kent and Medway Economic Partnership", K.OTHER, "KMEP")
    police = org("Kent Police", K.OTHER, "Kent Police")
    start = dt.date(2023, 1, 1)
    seats = [
        ("Elected member, Kent County Council", kcc, ("Sunita", "Rai", "Cllr")),
        ("Elected member, Medway Council", medway, ("Amara", "Mensah", "Cllr")),
        ("Kent and Medway ICB representative", icb, ("Robert", "Fairweather", "")),
        ("Director of Public Health, Kent County Council", kcc, ("Nadia", "Hussain", "Dr")),
        ("Representative of Kent Housing Group", housing, ("Simon", "Ashford", "")),
        (
            "Representative of the Kent and Medway Economic Partnership",
            kmep,
            ("Victoria", "Dover", ""),
        ),
        ("Representative of Kent Police (community safety)", police, ("Neil", "Folkestone", "")),
    ]
    members = []
    for order, (title, organisation, (first, last, honorific)) in enumerate(seats, start=1):
        the_seat = seat(sub, order, title, organisation=organisation)
        who = person(first, last, honorific=honorific)
        members.append(who)
        hold(sub, the_seat, who, start=start)
    office(sub, members[0], OfficeKind.CHAIR, start)
    office(sub, members[1], OfficeKind.VICE_CHAIR, start)
    _upsert(
        PresidingFallback,
        {"rules": sub_rules, "order": 1},
        {"office": OfficeKind.VICE_CHAIR, "seat": None},
    )
    return sub


# --- Mid and South Essex ------------------------------------------------------------------------


def load_mid_south_essex(secretariat_user) -> Committee:
    icb = org(
        "Mid and South Essex ICB", K.ICB, "MSE ICB", "https://www.midandsouthessex.ics.nhs.uk/"
    )
    southend = org(
        "Southend City Council", K.UPPER_TIER, "Southend", "https://www.southend.gov.uk/"
    )
    essex = org("Essex County Council", K.UPPER_TIER, "ECC", "https://www.essex.gov.uk/")
    thurrock = org("Thurrock Council", K.UPPER_TIER, "Thurrock", "https://www.thurrock.gov.uk/")

    alliances = {}
    for name, label in [
        ("Basildon and Brentwood", "Basildon & Brentwood Alliance"),
        ("Mid-Essex", "Mid-Essex Alliance"),
        ("South-East Essex", "South East Essex Alliance"),
        ("Thurrock", "Thurrock Alliance"),
    ]:
        alliances[label] = (
            place(name, Place.Kind.ALLIANCE),
            org(f"{name} Alliance", K.OTHER, f"{name} Alliance"),
        )

    mse = committee_row(
        MSE_SLUG,
        "Mid and South Essex Integrated Care Partnership",
        short_name="Mid and South Essex ICP",
        parent=None,
        purpose=MSE_PURPOSE,
        established=SINCE,
    )
    add_missing(mse.statutory_partners, icb, southend, essex, thurrock)
    add_missing(mse.places, *(p for p, _ in alliances.values()))
    add_missing(mse.secretariat, secretariat_user)
    rules(
        mse,
        holiday_region="ENG",
        notice_days=5,
        notice_counting=CountingBasis.PLAIN,
        papers_days=4,
        papers_counting=CountingBasis.PLAIN,
        max_months_between_meetings=2,
        deputies_allowed=True,
        deputies_may_vote=True,
        # Conflicts of Interest: "Where the Chair decides to exclude a member, the relevant
        # organisation ... may send a deputy to take the place of the conflicted member in
        # relation to that matter."
        conflict_deputies_allowed=True,
        chair_has_casting_vote=False,
        majority_basis=CommitteeRules.MajorityBasis.PRESENT,
        quorum_basis=CommitteeRules.QuorumBasis.NONE,
        # "Review": the ToR reviewed at least annually; no self-assessment, no rotation (the ICB
        # Chair chairs), and the ToR do not say who presides in the Chair's absence.
        self_assessment_required=False,
        chair_rotation_years=None,
        chair_rotation_start=None,
        # Accountability and Reporting: "Minutes, and a summary of key messages arising from each
        # meeting will be submitted to all members after each meeting and made available on the
        # ICS website"; nothing is presented to the partners' governance.
        key_messages_required=True,
        minutes_to_partners=False,
        # Conduct & Operation: "A minimum of five working days' notice will be given when
        # calling an extraordinary meeting" (working days, not clear ones); ordinary meetings
        # follow the published schedule. "The agenda and supporting papers will be agreed by
        # the Chair and Vice Chairs". No urgent meetings, no Leadership Team.
        notice_applies_to=CommitteeRules.NoticeAppliesTo.EXTRAORDINARY,
        agenda_agreed_by=CommitteeRules.AgendaAgreedBy.CHAIR_AND_VICE_CHAIRS,
        urgent_meeting_needs_leadership_agreement=False,
        # The document heads itself "Integrated Care Partnership Terms of Reference Draft v1"
        # and dates it "11 /5/22 Draft v1".
        tor_version=MSE_TOR_VERSION,
        tor_version_from=MSE_TOR_VERSION_FROM,
        references=MSE_REFERENCES,
    )
    conditions(mse.rules, [])
    # No public health representative rule (K&M ToR 8.2 has one; the M&SE ToR do not).
    mse.rules.public_health_seats.set([])
    grounds(mse, SCHEDULE_12A_GROUNDS)

    trusts = {
        "Mid & South Essex Foundation Trust": org(
            "Mid and South Essex NHS Foundation Trust", K.NHS_PROVIDER, "MSEFT"
        ),
        "Essex Partnership NHS Foundation Trust": org(
            "Essex Partnership University NHS Foundation Trust", K.NHS_PROVIDER, "EPUT"
        ),
        "Provide CIC": org("Provide CIC", K.NHS_PROVIDER, "Provide"),
        "North East London NHS Foundation Trust": org(
            "North East London NHS Foundation Trust", K.NHS_PROVIDER, "NELFT"
        ),
        "East of England Ambulance Services Trust": org(
            "East of England Ambulance Service NHS Trust", K.NHS_PROVIDER, "EEAST"
        ),
    }
    districts = {
        "Basildon Council": org("Basildon Borough Council", K.DISTRICT, "Basildon"),
        "Braintree District Council": org("Braintree District Council", K.DISTRICT, "Braintree"),
        "Brentwood Council": org("Brentwood Borough Council", K.DISTRICT, "Brentwood"),
        "Castle Point Council": org("Castle Point Borough Council", K.DISTRICT, "Castle Point"),
        "Chelmsford City Council": org("Chelmsford City Council", K.DISTRICT, "Chelmsford"),
        "Maldon District Council": org("Maldon District Council", K.DISTRICT, "Maldon"),
        "Rochford Council": org("Rochford District Council", K.DISTRICT, "Rochford"),
    }
    lmc = org("Essex Local Medical Committee", K.OTHER, "Essex LMC")
    hw = {
        "Southend": org("Healthwatch Southend", K.HEALTHWATCH),
        "Essex": org("Healthwatch Essex", K.HEALTHWATCH),
        "Thurrock": org("Healthwatch Thurrock", K.HEALTHWATCH),
    }
    vcs = org("Southend Association of Voluntary Services", K.VCSE, "SAVS")
    hospice = org("Havens Hospices", K.VCSE)
    aru = org("Anglia Ruskin University", K.ACADEMIC, "ARU")
    uoe = org("University of Essex", K.ACADEMIC)
    writtle = org("Writtle University College", K.ACADEMIC)
    nhse = org("NHS England", K.OTHER, "NHSE", "https://www.england.nhs.uk/")
    councils = [
        ("Southend City Council", southend),
        ("Essex County Council", essex),
        ("Thurrock Council", thurrock),
    ]

    # Appendix 2, in its order: (title, seat organisation, place, membership organisation).
    appendix: list[tuple[str, Organisation | None, Place | None, Organisation | None]] = []
    appendix.append(("Chair, Mid & South Essex ICB", icb, None, None))
    for label, council in councils:
        appendix.append((f"Chair, {label} Health & Wellbeing Board", council, None, None))
    appendix.append(("CEO, Mid & South Essex ICB", icb, None, None))
    for label in list(trusts)[:4]:
        appendix.append(
            (
                f"Chair of the {label}" if label != "Provide CIC" else "Chair of Provide CIC",
                trusts[label],
                None,
                None,
            )
        )
    appendix.append(
        (
            "Lead Non-Executive Director of the East of England Ambulance Services Trust",
            trusts["East of England Ambulance Services Trust"],
            None,
            None,
        )
    )
    for role_title in (
        "Director of Public Health",
        "Director of Adult Social Services",
        "Director of Children's Services",
    ):
        for label, council in councils:
            appendix.append((f"{role_title}, {label}", council, None, None))
    for label, (alliance_place, alliance_org) in alliances.items():
        appendix.append((f"Clinical Lead, {label}", alliance_org, alliance_place, None))
        appendix.append((f"Alliance Director, {label}", alliance_org, alliance_place, None))
    for label, district in districts.items():
        appendix.append((f"Lead Officer, {label}", district, None, None))
    appendix.append(("CEO, Essex Local Medical Committee", lmc, None, None))
    for label, healthwatch in hw.items():
        appendix.append((f"CEO, Healthwatch {label}", healthwatch, None, None))
    # The sector seats name no single body: the seat has none, the holder's body is recorded.
    appendix.append(
        (
            "Representative of Mid & South Essex Community & Voluntary Sector Organisations",
            None,
            None,
            vcs,
        )
    )
    appendix.append(("Representative of Hospice Sector", None, None, hospice))
    appendix.append(("Representative of Anglia Ruskin University", aru, None, None))
    appendix.append(("Representative of University of Essex", uoe, None, None))
    appendix.append(("Representative of Writtle University College", writtle, None, None))
    appendix.append(("Locality Director, NHS England & Improvement", nhse, None, None))
    for title in (
        "Executive Director of Strategy & Partnerships",
        "Director of Communications & Engagement",
        "Chief People Officer",
        "Chief Finance Officer",
        "Director of Strategic Partnerships",
        "Medical Director",
    ):
        appendix.append((f"{title}, Mid & South Essex ICB", icb, None, None))
    assert len(appendix) == 50, len(appendix)

    memberships = []
    for order, (title, seat_org, seat_place, holder_org) in enumerate(appendix, start=1):
        the_seat = seat(
            mse, order, title, reference=f"App 2.{order}", organisation=seat_org, place=seat_place
        )
        first, last = MSE_NAMES[order - 1]
        honorific = "Cllr" if "Health & Wellbeing Board" in title else ""
        who = person(first, last, honorific=honorific, job_title=title)
        memberships.append(hold(mse, the_seat, who, organisation=holder_org))

    # Chair and Vice-Chair Arrangements: the ICB chair chairs, the three HWB chairs are
    # vice-chairs.
    eligible(
        mse.rules,
        OfficeKind.CHAIR,
        [memberships[0].seat],
        "Chair and Vice Chair Arrangements",
        "The Chair of Mid & South Essex ICB will act as Chair of the ICP.",
    )
    eligible(
        mse.rules,
        OfficeKind.VICE_CHAIR,
        [m.seat for m in memberships[1:4]],
        "Chair and Vice Chair Arrangements",
        "The chairs of the three upper tier local authorities Health and Wellbeing Boards "
        "(Southend City Council, Essex County Council and Thurrock Council) will act as vice "
        "chairs.",
    )
    office(mse, memberships[0].person, OfficeKind.CHAIR, SINCE)
    for m in memberships[1:4]:
        office(mse, m.person, OfficeKind.VICE_CHAIR, SINCE)

    # Named deputies (Appendix 2, "Deputies"): they may vote in the member's place.
    for principal_index, (first, last, job) in [
        (10, ("Jasmine", "Leigh", "Consultant in Public Health, Southend City Council")),
        (36, ("Harriet", "Coggeshall", "Deputy CEO, Healthwatch Essex")),
    ]:
        principal = memberships[principal_index]
        hold(
            mse,
            None,
            person(first, last, job_title=job),
            role=Role.MEMBER,
            organisation=principal.organisation,
            deputy_for=principal,
        )
    return mse


# Fictional names for the 50 Appendix 2 members, in order.
MSE_NAMES = [
    ("Anthony", "Benfleet"),
    ("Carol", "Leigh-Smith"),
    ("Rupert", "Danbury"),
    ("Yvonne", "Grays"),
    ("Martin", "Billericay"),
    ("Sophie", "Hadleigh"),
    ("Derek", "Witham"),
    ("Imogen", "Tiptree"),
    ("Farid", "Ilford"),
    ("Gillian", "Harlow"),
    ("Kieran", "Shoebury"),
    ("Lucy", "Halstead"),
    ("Oluwaseun", "Tilbury"),
    ("Patricia", "Rayleigh"),
    ("Quentin", "Braintree-Hall"),
    ("Rosa", "Stanford"),
    ("Stephen", "Eastwood"),
    ("Tara", "Coggins"),
    ("Umar", "Purfleet"),
    ("Valerie", "Pitsea"),
    ("William", "Laindon"),
    ("Xavier", "Heybridge"),
    ("Yasmin", "Burnham"),
    ("Zachary", "Canvey"),
    ("Abigail", "Thundersley"),
    ("Benjamin", "Corringham"),
    ("Chloe", "Orsett"),
    ("Dominic", "Wickford"),
    ("Esther", "Coggeshall-Reed"),
    ("Felix", "Shenfield"),
    ("Georgina", "Hockley"),
    ("Harold", "Writtle"),
    ("Isla", "Heybridge-Basin"),
    ("Jacob", "Ashingdon"),
    ("Kirsty", "Galleywood"),
    ("Leonard", "Prittlewell"),
    ("Maya", "Springfield"),
    ("Nathan", "Chadwell"),
    ("Ophelia", "Southminster"),
    ("Philip", "Thorpe"),
    ("Rebecca", "Wivenhoe"),
    ("Sanjay", "Colne"),
    ("Teresa", "Boreham"),
    ("Victor", "Mountnessing"),
    ("Wendy", "Ingatestone"),
    ("Yusuf", "Margaretting"),
    ("Alice", "Runwell"),
    ("Bernard", "Rettendon"),
    ("Catriona", "Woodham"),
    ("Desmond", "Mundon"),
]


# --- entry point ---------------------------------------------------------------------------------


@transaction.atomic
def load() -> None:
    """Create or update the whole committees demo: both ICPs, the sub-committee and the logins."""
    secretariat = person(
        "Jenny",
        "Bearsted",
        job_title="Democratic Services Officer, Kent County Council",
        username="secretariat",
    ).user
    mse_secretariat = person(
        "Colin",
        "Maldon",
        job_title="ICP Secretariat, Mid and South Essex ICB",
        username="mse-secretariat",
    ).user
    user_account("admin", email=f"admin@{EMAIL_DOMAIN}", first="Demo", last="Admin", superuser=True)
    load_kent_medway(secretariat)
    load_mid_south_essex(mse_secretariat)
