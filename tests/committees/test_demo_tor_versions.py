"""Both demo committees configured as their ToR words the rules of issue 14 points 7, 9, 10 and
13: who agrees the agenda, which meetings need notice, the Leadership Team's agreement to an
urgent meeting, and the ToR version (as the seed documents state it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from committees.models import Committee, CommitteeRules
from demo.committees import KM_SLUG, MSE_SLUG
from tests.committees.test_demo import demo, structure, today  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "demo" / "data"


def test_kent_and_medway(structure):  # noqa: F811
    rules = Committee.objects.get(slug=KM_SLUG).rules
    # 12.1.1: "Agreement of the agenda with the Chair".
    assert rules.agenda_agreed_by == CommitteeRules.AgendaAgreedBy.CHAIR
    # 10.2.1: five clear working days for any meeting, "except where a meeting to discuss an
    # urgent issue is required".
    assert rules.notice_applies_to == CommitteeRules.NoticeAppliesTo.ALL_BUT_URGENT
    assert (rules.notice_days, rules.notice_counting) == (5, "clear")
    # 7.3: "Where possible this will be agreed by the Leadership Team."
    assert rules.urgent_meeting_needs_leadership_agreement
    assert rules.cite("urgent_meeting") == "ToR 7.3" and rules.cite("agenda") == "ToR 12.1.1"
    assert rules.tor_version == "Draft, Appendix 2 to the report to County Council of 26 May 2022"
    assert rules.tor_version_from == dt.date(2022, 5, 26)


def test_mid_and_south_essex(structure):  # noqa: F811
    rules = Committee.objects.get(slug=MSE_SLUG).rules
    text = (DATA / "mid-south-essex-icp-terms-of-reference.md").read_text(encoding="utf-8")
    assert "will be agreed by the Chair and Vice Chairs" in text
    assert rules.agenda_agreed_by == CommitteeRules.AgendaAgreedBy.CHAIR_AND_VICE_CHAIRS
    assert "five working days’ notice will be given when calling an extraordinary meeting" in text
    assert rules.notice_applies_to == CommitteeRules.NoticeAppliesTo.EXTRAORDINARY
    assert (rules.notice_days, rules.notice_counting) == (5, "plain")
    assert (rules.papers_days, rules.papers_counting) == (4, "plain")
    assert "Leadership Team" not in text and "urgent" not in text.lower()
    assert not rules.urgent_meeting_needs_leadership_agreement
    # The document: "Integrated Care Partnership Terms of Reference Draft v1 ... 11 /5/22".
    assert text.startswith("Integrated Care Partnership Terms of Reference Draft v1")
    assert "11 /5/22 Draft v1" in text
    assert (rules.tor_version, rules.tor_version_from) == ("Draft v1", dt.date(2022, 5, 11))
    assert rules.tor_version_text == "Draft v1, in force from 11 May 2022"


def test_the_demo_records_agreements_as_each_tor_words_them(demo):  # noqa: F811
    from meetings.models import Agenda, AgendaAgreement, Meeting

    km = Committee.objects.get(slug=KM_SLUG)
    mse = Committee.objects.get(slug=MSE_SLUG)
    # K&M 7.3: the urgent meeting agreed by the Leadership Team (the two Leaders, the ICB Chair).
    urgent = Meeting.objects.get(committee=km, kind="urgent")
    assert urgent.leadership_agreed_by.count() == 3 and urgent.leadership_agreed_on
    # The agreed agendas: K&M by the Chair; M&SE by the Chair and its three Vice Chairs.
    for committee, offices in (
        (km, ["Chair"]),
        (mse, ["Chair", "Vice-Chair", "Vice-Chair", "Vice-Chair"]),
    ):
        agenda = Agenda.objects.filter(meeting__committee=committee, state="agreed").first()
        given = AgendaAgreement.objects.filter(agenda=agenda, version=agenda.version)
        assert sorted(given.values_list("office", flat=True)) == offices
    # M&SE's ordinary meetings need no notice period; its extraordinary one had its five days.
    assert Meeting.objects.filter(committee=mse, kind="extraordinary").exists()
