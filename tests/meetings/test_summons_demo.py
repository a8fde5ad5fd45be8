"""The demo of issue 13's summons work: a supplementary agenda on one K&M meeting, shown on its
public page, and the previous meeting's approved minutes on a minutes item."""

from __future__ import annotations

import pytest

from demo import supplementary as demo_supplementary
from meetings.models import AgendaItem, Meeting, SupplementaryAgenda
from tests.conftest import load_demo_once

KM = "kent-medway-icp"


@pytest.mark.django_db(transaction=False)
def test_demo_shows_a_supplementary_agenda_and_the_previous_minutes(client, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    load_demo_once()
    supplement = SupplementaryAgenda.objects.get(agenda__meeting__committee__slug=KM)
    assert supplement.state == SupplementaryAgenda.State.DISPATCHED
    item = AgendaItem.objects.get(supplementary=supplement)
    meeting = supplement.agenda.meeting
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Supplementary agenda 1" in page and item.title in page
    demo_supplementary.load()  # idempotent
    assert SupplementaryAgenda.objects.count() == 1
    # Some K&M meeting's minutes item carries its predecessor's approved minutes.
    shown = [
        m
        for m in Meeting.objects.filter(committee__slug=KM, agenda__state="dispatched")
        if "approved on" in client.get(m.get_absolute_url()).content.decode()
    ]
    assert shown, "a dispatched K&M meeting follows one whose minutes are published"
