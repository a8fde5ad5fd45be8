"""The demo of issue 19: a recorded K&M meeting whose public page and published minutes link
each Part 1 item to its moment, Part 2 items with review dates (one due, so the secretariat sees
the line), the example partner page with the embeds, and each committee's retention rule."""

from __future__ import annotations

import pytest
from django.urls import reverse

from committees.models import Committee, RetentionRule
from demo import public_record
from meetings.minutes.part2_review import reviews_due
from meetings.models import AgendaItem, Meeting, Minutes, Part
from tests.conftest import load_demo_once

KM = "kent-medway-icp"


@pytest.mark.django_db(transaction=False)
def test_demo_shows_a_recording_review_dates_and_an_embed_page(client, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    load_demo_once()
    recorded = Meeting.objects.get(committee__slug=KM, webcast_link=public_record.RECORDING)
    starts = AgendaItem.objects.filter(agenda__meeting=recorded, recording_start__isnull=False)
    assert starts.exists() and not starts.filter(part=Part.PRIVATE).exists()
    page = client.get(recorded.get_absolute_url()).content.decode()
    assert "watch?v=kmicp-demo-2026&amp;t=95s" in page
    assert Minutes.objects.filter(meeting=recorded, state="published").exists()
    minutes = client.get(reverse("record:minutes", args=[KM, recorded.pk])).content.decode()
    assert "t=95s" in minutes

    assert AgendaItem.objects.filter(part=Part.PRIVATE, part2_review_date__isnull=False).exists()
    assert reviews_due(Committee.objects.get(slug=KM)).exists()
    assert RetentionRule.objects.count() == Committee.objects.count()

    example = client.get(reverse("embed:example", args=[KM]))
    assert example.status_code == 200
    body = example.content.decode()
    assert 'src="http://testserver/embed/committees/kent-medway-icp/meetings/"' in body
    assert "/decisions/" in body

    before = AgendaItem.history.count()
    public_record.load()  # again: nothing changes
    assert AgendaItem.history.count() == before
