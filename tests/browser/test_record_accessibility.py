"""axe-core in real Chromium on the pages of the meeting record and the documents (issues 5 and 6)
on the demo data: the in-meeting record screen, an item's record, the minutes editor, the public
minutes page, the decisions register, and the meeting page with its documents block and record.

Set SCREENSHOT_DIR to keep full-page screenshots of the pages checked.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings.models import Minutes
from tests.browser.test_public_journeys import KM, _check, _sign_in, demo  # noqa: F401

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_record_and_documents_pages_have_no_axe_violations(page, demo):  # noqa: F811
    published = (
        Minutes.objects.filter(
            meeting__committee__slug=KM, state=Minutes.State.PUBLISHED, is_current=True
        )
        .select_related("meeting")
        .order_by("-meeting__date")
        .first()
    )
    assert published is not None, "the demo publishes approved minutes"
    recorded = published.meeting
    item = recorded.agenda.items.filter(decisions__isnull=False).order_by("number").first()
    draft = (
        Minutes.objects.filter(meeting__committee__slug=KM, is_current=True)
        .exclude(state=Minutes.State.PUBLISHED)
        .select_related("meeting")
        .first()
    )
    public = {
        "minutes": reverse("record:minutes", args=[KM, recorded.pk]),
        "decisions": reverse("record:decisions", args=[KM]),
        "decisions-filtered": reverse("record:decisions", args=[KM]) + "?part=2&q=the",
        "meeting-with-documents": demo.get_absolute_url(),
        "meeting-with-record": recorded.get_absolute_url(),
    }
    for name, path in public.items():
        _check(page, path, f"record-public-{name}")
    assert page.get_by_role("heading", name="Minutes and decisions").is_visible()

    _sign_in(page, "secretariat")
    secretariat = {
        "screen": reverse("record:screen", args=[recorded.pk]),
        "item": reverse("record:item", args=[recorded.pk, item.pk]),
        "minutes-editor": reverse("record:minutes_edit", args=[recorded.pk]),
        "forward-plan": reverse("record:forward_plan", args=[KM]),
    }
    if draft is not None:
        secretariat["draft-minutes-editor"] = reverse(
            "record:minutes_edit", args=[draft.meeting_id]
        )
    for name, path in secretariat.items():
        _check(page, path, f"record-secretariat-{name}")

    # Give the demo member an open action, so My meetings shows its table.
    import datetime as dt

    from meetings.conduct import services as record
    from members.models import Person

    record.add_action(
        meeting=recorded,
        description="Report back on the harbour plan.",
        owner=Person.objects.get(user__username="member"),
        due=recorded.date + dt.timedelta(days=14),
    )
    page.context.clear_cookies()
    _sign_in(page, "member")
    for name, path in {
        "minutes": reverse("record:minutes", args=[KM, recorded.pk]),
        "meeting": reverse("portal_meetings:meeting", args=[recorded.pk]),
        "my-meetings": reverse("portal:home"),
    }.items():
        _check(page, path, f"record-member-{name}")
    assert page.get_by_text("Report back on the harbour plan.").is_visible()
