"""Issue 13: one date input pattern everywhere. Every date a person types is the GOV.UK day /
month / year boxes (`name_0`, `name_1`, `name_2`); the same field still takes one ISO value
(`name=2027-01-15`) as scripts and API-like posts send it. An impossible date or a year outside
2000-2100 is a message beside the field, never a 500."""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from crispy_forms.utils import render_crispy_form
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from committees.forms import CommitteeForm, CommitteeRulesForm
from committees.views_rules import RulesOnForm
from icp_secretariat.lib.dates import RANGE_MESSAGE, SafeDateInputField
from meetings.agenda.forms import AgendaItemForm
from meetings.conduct.forms import ActionForm
from meetings.minutes.views_part2 import ExtendForm
from meetings.models import Meeting
from meetings.scheduling.forms import (
    ClosureDayForm,
    LeadershipAgreementForm,
    MeetingForm,
    RescheduleForm,
)
from members.forms import MembershipForm, OfficeForm
from members.forms_interests import CampaignForm, EndInterestForm, InterestForm
from members.models import Membership, Office, Person
from public_site.views_interests import AsOfForm

NO_DAY_31 = "that month has no day 31"
EARLY = dt.date(2020, 1, 1)
PAST = dt.date(2025, 1, 15)


def _forms(committee) -> list[tuple]:
    """Every form with a date field, built as its view builds it (a function of the posted
    data), and its date fields."""
    rules = committee.rules
    people = Person.objects.all()
    return [
        (lambda d: MeetingForm(d), ["date"]),
        (lambda d: RescheduleForm(d), ["date"]),
        (lambda d: ClosureDayForm(d), ["date"]),
        (lambda d: LeadershipAgreementForm(d), ["agreed_on"]),
        (lambda d: ActionForm(d, people=people), ["due"]),
        (lambda d: ExtendForm(d), ["new_date"]),
        (lambda d: AgendaItemForm(d, committee=committee), ["part2_review_date"]),
        (lambda d: CommitteeForm(d, instance=committee), ["established"]),
        (
            lambda d: CommitteeRulesForm(d, instance=rules),
            [
                "tor_last_reviewed",
                "self_assessment_last_done",
                "chair_rotation_start",
                "tor_version_from",
            ],
        ),
        (
            lambda d: MembershipForm(d, instance=Membership(committee=committee, start=EARLY)),
            ["start", "end"],
        ),
        (
            lambda d: OfficeForm(d, instance=Office(committee=committee, start=EARLY)),
            ["start", "end"],
        ),
        (lambda d: RulesOnForm(d), ["date"]),
        (lambda d: AsOfForm(d), ["as_of"]),
        (lambda d: InterestForm(d, editing=True), ["start_date", "end_date", "changed_on"]),
        (lambda d: EndInterestForm(d), ["end_date"]),
        (lambda d: CampaignForm(d), ["due_date"]),
    ]


def _render(form) -> str:
    if hasattr(form, "helper"):
        return render_crispy_form(form)
    return "".join(as_crispy_field(form[name]) for name in form.fields)


@pytest.mark.django_db
def test_no_form_draws_a_single_date_input(committee):
    seen = 0
    for make, names in _forms(committee):
        form = make(None)
        html = _render(form)
        assert 'type="date"' not in html, type(form).__name__
        for name in names:
            assert isinstance(form.fields[name], SafeDateInputField), (type(form), name)
            for part in range(3):
                assert f'name="{name}_{part}"' in html, (type(form).__name__, name)
            seen += 1
    assert seen == 23


def test_no_template_draws_a_single_date_input():
    templates = pathlib.Path(settings.BASE_DIR) / "templates"
    drawn = [p for p in templates.rglob("*.html") if 'type="date"' in p.read_text()]
    assert drawn == []


def test_every_date_field_of_our_forms_is_the_day_month_year_field():
    """Any form class of the project (including ones added later) with a plain `DateField`
    would draw a single input: none has one."""
    apps = {"committees", "meetings", "members", "public_site", "portal", "communications"}

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    plain = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in apps
        for name, field in getattr(cls, "base_fields", {}).items()
        if isinstance(field, forms.DateField | forms.DateTimeField)
        or getattr(field.widget, "input_type", "") == "date"
    ]
    assert plain == []


@pytest.mark.django_db
def test_each_form_takes_day_month_year_and_refuses_31_february(committee):
    for make, names in _forms(committee):
        for name in names:
            label = f"{type(make(None)).__name__}.{name}"
            # A past date, or a future one where the form asks for one (a campaign's deadline).
            day = timezone.localdate() + dt.timedelta(days=40) if "Campaign" in label else PAST
            good = make({f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year})
            good.is_valid()
            assert name not in good.errors, (label, good.errors.get(name))
            assert good.cleaned_data[name] == day, label

            iso = make({name: day.isoformat()})
            iso.is_valid()
            assert iso.cleaned_data.get(name) == day, label

            bad = make({f"{name}_0": "31", f"{name}_1": "2", f"{name}_2": "2027"})
            assert not bad.is_valid()
            assert any(NO_DAY_31 in e for e in bad.errors[name]), (label, bad.errors.get(name))
            html = _render(bad)
            assert NO_DAY_31 in html and "govuk-input--error" in html, label


@pytest.mark.django_db
@pytest.mark.parametrize("blank", ["  ", "\x00"])
def test_boxes_of_spaces_are_an_empty_date_never_a_500(committee, blank):
    """Found by posting odd values to every form of the demo: the campaign form's date boxes
    holding spaces came back as no date from a required field, and its check against today was
    a 500. Every required date field now says what to enter; an optional one is empty."""
    for make, names in _forms(committee):
        for name in names:
            label = f"{type(make(None)).__name__}.{name}"
            form = make({f"{name}_0": blank, f"{name}_1": blank, f"{name}_2": blank})
            form.is_valid()  # raised TypeError for the campaign form
            if form.fields[name].required:
                assert form.errors.get(name), label
            else:
                assert form.cleaned_data.get(name) is None, label


@pytest.mark.django_db
@pytest.mark.parametrize(
    "parts,message",
    [
        (("31", "2", "2027"), NO_DAY_31),
        (("1", "13", "2027"), "Enter a month from 1 to 12"),
        (("1", "1", "1999"), RANGE_MESSAGE),
        (("1", "1", "9" * 5000), "Enter a real date"),
        (("x", "1", "2027"), "Enter the day as a number"),
        (("1", "", "2027"), "Enter the day, month and year"),
    ],
)
def test_the_meeting_form_refuses_bad_boxes_with_a_message(client, personas, parts, message):
    client.force_login(personas["secretariat"])
    data = {f"date_{i}": v for i, v in enumerate(parts)}
    response = client.post(
        reverse("meetings_admin:meeting_create", args=["test-jc"]),
        {**data, "start_time": "10:00", "venue": "Kept venue", "kind": "ordinary"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and "Kept venue" in body
    # The error summary links to the first box of the date.
    assert 'href="#id_date_0"' in body and 'id="id_date_0"' in body
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_a_meeting_is_scheduled_from_day_month_year_boxes(client, personas):
    client.force_login(personas["secretariat"])
    response = client.post(
        reverse("meetings_admin:meeting_create", args=["test-jc"]),
        {
            "date_0": "3",
            "date_1": "3",
            "date_2": "2027",
            "start_time": "10:00",
            "venue": "Gun Wharf",
            "kind": "ordinary",
            "is_public": "True",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.date == dt.date(2027, 3, 3)
    # The reschedule form shows the stored date in the boxes.
    body = client.get(
        reverse("meetings_admin:meeting_reschedule", args=["test-jc", meeting.pk])
    ).content.decode()
    assert 'name="date_0" value="3"' in body and 'name="date_2" value="2027"' in body


@pytest.mark.django_db
def test_rules_on_a_date_and_the_register_as_it_stood_take_the_boxes(client, personas, committee):
    client.force_login(personas["secretariat"])
    url = reverse("secretariat:rules_on", args=[committee.slug])
    page = client.get(url, {"date_0": "1", "date_1": "1", "date_2": "1999"}).text
    assert "On 1 January 1999" in page and 'type="date"' not in page
    bad = client.get(url, {"date_0": "31", "date_1": "2", "date_2": "2027"})
    assert bad.status_code == 200 and NO_DAY_31 in bad.text

    register = f"/committees/{committee.slug}/interests/"
    page = client.get(register, {"as_of_0": "1", "as_of_1": "2", "as_of_2": "2025"}).text
    assert "as it stood on 1 February 2025" in page
    assert 'name="as_of_0" value="1"' in page and 'type="date"' not in page
    bad = client.get(register, {"as_of_0": "31", "as_of_1": "2", "as_of_2": "2025"}).text
    assert "is not a date" in bad and NO_DAY_31 in bad
