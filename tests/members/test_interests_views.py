"""Members' pages and secretariat screens for the register: who may do what, through HTTP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from members import interests as svc
from members.models import Confirmation, Interest, InterestCategory, Person


def person(user) -> Person:
    return Person.objects.get(user=user)


def date_fields(name: str, day: dt.date) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def form_data(**overrides) -> dict:
    data = {
        "category": InterestCategory.NON_FINANCIAL_PROFESSIONAL,
        "involved": "Kent Hospice",
        "description": "Trustee",
        **date_fields("start_date", timezone.localdate() - dt.timedelta(days=3)),
    }
    data.update(overrides)
    return data


@pytest.fixture
def members_entry(personas) -> Interest:
    return svc.declare_interest(
        person=person(personas["member"]),
        category=InterestCategory.FINANCIAL,
        involved="Acme Ltd",
        description="Director",
        start_date=dt.date(2024, 1, 1),
    )


# --- Portal ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_portal_needs_sign_in(client):
    response = client.get(reverse("portal:interests"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_portal_home_lists_the_persons_committees(client, personas, committee):
    client.force_login(personas["member"])
    body = client.get(reverse("portal:home")).content.decode()
    assert committee.name in body and "Member seat" in body
    # Back from "Your interests" to the page by its name ("Your pages" named no page).
    body = client.get(reverse("portal:interests")).content.decode()
    home = reverse("portal:home")
    assert f'<a href="{home}" class="govuk-back-link">My meetings</a>' in body


@pytest.mark.django_db
def test_only_members_and_participants_are_asked_to_confirm_their_register_entries(
    client, personas
):
    # Seen in the demo: the observer's "Your interests" said "You have not yet confirmed your
    # entries. Please check them and confirm." The register covers Members and Participants.
    for who, asked in (("member", True), ("participant", True), ("observer", False)):
        client.force_login(personas[who])
        body = client.get(reverse("portal:interests")).content.decode()
        assert ("You have not yet confirmed your entries" in body) == asked, who
        assert ('id="not-on-register"' in body) == (not asked), who


@pytest.mark.django_db
def test_member_declares_an_interest_and_it_waits_for_review(client, personas):
    client.force_login(personas["member"])
    response = client.post(reverse("portal:interests_declare"), form_data())
    assert response.status_code == 302
    entry = Interest.objects.get(person=person(personas["member"]))
    assert entry.state == Interest.State.PENDING and entry.involved == "Kent Hospice"
    assert not entry.is_late
    assert entry.history.first().history_user == personas["member"]


@pytest.mark.django_db
def test_bad_dates_give_a_clear_message_and_keep_what_was_typed(client, personas):
    client.force_login(personas["member"])
    data = form_data(description="Kept text", **date_fields("end_date", dt.date(2000, 1, 1)))
    response = client.post(reverse("portal:interests_declare"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "must be after it began" in body and "Kept text" in body
    assert not Interest.objects.exists()


@pytest.mark.django_db
def test_member_edits_own_entry_back_to_pending(client, personas, members_entry):
    svc.publish_interest(interest=members_entry, by=personas["secretariat"])
    client.force_login(personas["member"])
    url = reverse("portal:interests_edit", args=[members_entry.pk])
    assert client.get(url).status_code == 200
    data = form_data(
        involved="Acme Ltd",
        description="Managing director",
        **date_fields("start_date", dt.date(2024, 1, 1)),
        **date_fields("changed_on", timezone.localdate()),
    )
    assert client.post(url, data).status_code == 302
    members_entry.refresh_from_db()
    assert members_entry.description == "Managing director"
    assert members_entry.state == Interest.State.PENDING


@pytest.mark.django_db
def test_member_ends_own_interest(client, personas, members_entry):
    client.force_login(personas["member"])
    url = reverse("portal:interests_end", args=[members_entry.pk])
    assert client.post(url, date_fields("end_date", timezone.localdate())).status_code == 302
    members_entry.refresh_from_db()
    assert members_entry.end_date == timezone.localdate()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["portal:interests_edit", "portal:interests_end"])
def test_a_person_cannot_see_or_change_anothers_interest(client, personas, members_entry, name):
    client.force_login(personas["participant"])
    url = reverse(name, args=[members_entry.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data()).status_code == 404
    members_entry.refresh_from_db()
    assert members_entry.involved == "Acme Ltd" and members_entry.end_date is None


@pytest.mark.django_db
def test_own_list_shows_only_own_entries(client, personas, members_entry):
    client.force_login(personas["participant"])
    assert "Acme Ltd" not in client.get(reverse("portal:interests")).content.decode()
    client.force_login(personas["member"])
    assert "Acme Ltd" in client.get(reverse("portal:interests")).content.decode()


@pytest.mark.django_db
def test_one_click_confirmation_and_nil_return(client, personas):
    client.force_login(personas["participant"])
    page = client.get(reverse("portal:interests_confirm")).content.decode()
    assert "I confirm my entries are complete and correct" in page
    assert client.post(reverse("portal:interests_confirm")).status_code == 302
    assert client.post(reverse("portal:interests_nil_return")).status_code == 302
    kinds = list(
        Confirmation.objects.filter(person=person(personas["participant"]))
        .order_by("confirmed_at")
        .values_list("is_nil", flat=True)
    )
    assert kinds == [False, True]


@pytest.mark.django_db
def test_nil_return_is_post_only(client, personas):
    client.force_login(personas["participant"])
    assert client.get(reverse("portal:interests_nil_return")).status_code == 405


@pytest.mark.django_db
def test_account_without_member_record_gets_404_on_interest_pages(client, personas):
    client.force_login(personas["outsider"])
    assert client.get(reverse("portal:home")).status_code == 200
    assert client.get(reverse("portal:interests")).status_code == 404


# --- Secretariat ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member", "chair", "outsider", "observer"])
def test_non_secretariat_cannot_review(client, personas, members_entry, who):
    client.force_login(personas[who])
    assert client.get(reverse("interests_admin:index")).status_code == 404
    assert client.get(reverse("interests_admin:review", args=[members_entry.pk])).status_code == 404
    publish = reverse("interests_admin:publish", args=[members_entry.pk])
    assert client.post(publish).status_code == 404
    members_entry.refresh_from_db()
    assert members_entry.state == Interest.State.PENDING


@pytest.mark.django_db
def test_secretariat_of_another_committee_cannot_review(client, personas, members_entry):
    from committees.models import Committee

    other = Committee.objects.create(name="Other", slug="other")
    outsider = personas["outsider"]
    other.secretariat.add(outsider)
    client.force_login(outsider)
    assert client.get(reverse("interests_admin:review", args=[members_entry.pk])).status_code == 404
    assert "Acme Ltd" not in client.get(reverse("interests_admin:index")).content.decode()


@pytest.mark.django_db
def test_secretariat_publishes_from_the_queue(client, personas, members_entry):
    client.force_login(personas["secretariat"])
    queue = client.get(reverse("interests_admin:index")).content.decode()
    assert "Acme Ltd" in queue
    assert client.get(reverse("interests_admin:review", args=[members_entry.pk])).status_code == 200
    response = client.post(reverse("interests_admin:publish", args=[members_entry.pk]))
    assert response.status_code == 302
    members_entry.refresh_from_db()
    assert members_entry.state == Interest.State.PUBLISHED
    assert members_entry.reviewed_by == personas["secretariat"]


@pytest.mark.django_db
def test_withholding_requires_a_reason_and_records_it(client, personas, members_entry):
    client.force_login(personas["secretariat"])
    url = reverse("interests_admin:withhold", args=[members_entry.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Enter the reason" in response.content.decode()
    members_entry.refresh_from_db()
    assert members_entry.state == Interest.State.PENDING
    assert client.post(url, {"reason": "Risk to personal safety"}).status_code == 302
    members_entry.refresh_from_db()
    assert members_entry.state == Interest.State.WITHHELD
    assert members_entry.withheld_reason == "Risk to personal safety"


@pytest.mark.django_db
def test_late_declarations_are_flagged_for_the_secretariat(client, personas):
    late = svc.declare_interest(
        person=person(personas["member"]),
        category=InterestCategory.FINANCIAL,
        involved="Late Holdings",
        description="Shares",
        start_date=timezone.localdate() - dt.timedelta(days=60),
    )
    assert late.is_late
    client.force_login(personas["secretariat"])
    body = client.get(reverse("interests_admin:index")).content.decode()
    late_section = body.split("Late declarations", 1)[1]
    assert "Late Holdings" in late_section


@pytest.mark.django_db
def test_secretariat_committee_page_shows_who_has_not_confirmed(client, personas, committee):
    svc.confirm_register(person=person(personas["member"]))
    client.force_login(personas["secretariat"])
    body = client.get(reverse("interests_admin:committee", args=[committee.slug])).content.decode()
    not_confirmed = body.split("Not confirmed in the last 12 months", 1)[1].split("</ul>", 1)[0]
    assert "Participant Persona" in not_confirmed
    assert "Member Persona" not in not_confirmed


@pytest.mark.django_db
def test_secretariat_pages_query_count_is_fixed(
    client, personas, committee, django_assert_max_num_queries
):
    for n in range(5):
        svc.declare_interest(
            person=person(personas["member"]),
            category=InterestCategory.FINANCIAL,
            involved=f"Body {n}",
            description="Role",
            start_date=dt.date(2024, 1, 1),
        )
        svc.confirm_register(person=person(personas["participant"]))
    client.force_login(personas["secretariat"])
    with django_assert_max_num_queries(12):
        client.get(reverse("interests_admin:index"))
    with django_assert_max_num_queries(12):
        client.get(reverse("interests_admin:committee", args=[committee.slug]))
    with django_assert_max_num_queries(10):
        client.get(reverse("interests:register", args=[committee.slug]))
