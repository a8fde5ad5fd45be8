"""Forms of the secretariat's meeting screens (GOV.UK styling through crispy-forms-gds)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.utils.html import escape

from committees.models import ClosureDay
from committees.selectors import committees_for_secretariat, is_administrator
from icp_secretariat.lib.dates import SafeDateField
from meetings.models import Meeting
from members.models import Person


def _helper(button: str, *fields, warning: bool = False) -> FormHelper:
    helper = FormHelper()
    submit = Button.warning("submit", button) if warning else Button.primary("submit", button)
    helper.layout = Layout(*fields, submit)
    return helper


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        # crispy-forms-gds styles text inputs only; give time inputs the GOV.UK class, wide
        # enough for a 12-hour browser's "02:00 PM" and its clock button (at width-5 the "PM"
        # was cut off, so 14:00 read as 02:00).
        super().__init__(
            {"class": "govuk-input govuk-input--width-10", **(attrs or {})}, format="%H:%M"
        )


def notice_rule_text(rules) -> str:
    """The committee's notice rule by kind of meeting, in words, citing its own ToR."""
    period = (
        f"{rules.notice_days} {rules.get_notice_counting_display()}' notice "
        f"({rules.cite('notice')})"
    )
    if rules.notice_applies_to == rules.NoticeAppliesTo.EXTRAORDINARY:
        return (
            f"An extraordinary meeting needs {period}; ordinary meetings follow the published "
            "schedule."
        )
    return (
        f"Every meeting needs {period}, except an urgent one called at short notice "
        f"({rules.cite('urgent_meeting')})."
    )


class MeetingForm(forms.Form):
    date = SafeDateField(help_text="For example, 6 1 2026")
    start_time = forms.TimeField(widget=TimeInput, help_text="For example 14:00.")
    end_time = forms.TimeField(widget=TimeInput, required=False)
    venue = forms.CharField(max_length=300, required=False, help_text="Leave blank if online only.")
    online_link = forms.URLField(
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "govuk-input"}),
        required=False,
        label="Online meeting link",
        help_text="For example a Teams link.",
    )
    kind = forms.ChoiceField(
        choices=Meeting.Kind.choices,
        label="Type of meeting",
        widget=forms.RadioSelect,
        initial=Meeting.Kind.ORDINARY,
    )
    urgent_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Why is the meeting urgent?",
        help_text="Only for an urgent meeting called at short notice. The reason is shown "
        "with the notice.",
    )
    is_public = forms.TypedChoiceField(
        choices=[
            ("True", "Public (Part 1 business open to the public)"),
            ("False", "Held wholly in private"),
        ],
        coerce=lambda v: v == "True",
        widget=forms.RadioSelect,
        initial="True",
        label="Is the meeting open to the public?",
    )

    def __init__(self, *args, button: str = "Schedule meeting", rules=None, **kwargs):
        super().__init__(*args, **kwargs)
        if rules is not None:
            # crispy-forms-gds renders help text as HTML: the ToR references are typed by staff.
            self.fields["kind"].help_text = escape(notice_rule_text(rules))
        self.helper = _helper(
            button,
            Fieldset(
                Field("date"),
                Field.text("start_time"),
                Field.text("end_time"),
                legend="When",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("venue"),
                Field.text("online_link"),
                legend="Where",
                legend_size=Size.MEDIUM,
            ),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.textarea("urgent_reason"),
            Field.radios("is_public", legend_size=Size.SMALL),
            *self.extra_layout(),
        )

    def extra_layout(self):
        return []

    def clean(self):
        data = super().clean()
        if (
            data.get("kind") == Meeting.Kind.URGENT
            and not (data.get("urgent_reason") or "").strip()
        ):
            self.add_error("urgent_reason", "Give the reason the meeting is urgent.")
        if not (data.get("venue") or "").strip() and not data.get("online_link"):
            self.add_error("venue", "Give a venue, an online link, or both.")
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The end time must be after the start time.")
        return data


class RescheduleForm(MeetingForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason for the change",
        help_text="Kept with the meeting and sent with the updated notice.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("button", "Reschedule meeting")
        super().__init__(*args, **kwargs)

    def extra_layout(self):
        return [Field.textarea("reason")]


class CancelForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason for cancelling",
        help_text="Kept with the meeting and sent to everyone who had notice.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Cancel the meeting", Field.textarea("reason"), warning=True)


class ClosureDayForm(forms.ModelForm):
    """A closure day for one of the user's committees; an administrator may leave the committee
    blank for a day that applies to every committee."""

    class Meta:
        model = ClosureDay
        fields = ["committee", "date", "description", "region"]
        field_classes = {"date": SafeDateField}
        help_texts = {
            "date": "For example, 29 12 2026",
            "description": "For example: offices closed between Christmas and New Year.",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_admin = bool(user is not None and is_administrator(user))
        field = self.fields["committee"]
        if user is not None and not self.is_admin:
            field.queryset = committees_for_secretariat(user)
        field.label = "Committee it applies to"
        field.required = not self.is_admin
        # Nothing is chosen for the user: a secretariat of several committees who did not look
        # at the box would otherwise add the day to the first of them by name. Only a
        # secretariat of one committee has it chosen already.
        if self.is_admin:
            field.empty_label = "Every committee"
        elif field.queryset.count() == 1:
            field.empty_label = None
        else:
            field.empty_label = "Choose a committee"
        field.error_messages["required"] = "Choose the committee the closure day applies to"
        if not self.is_admin:
            field.help_text = ""
        region = self.fields["region"]
        region.label = "Bank holiday region it applies to"
        region.choices = [("", "Every region"), *[c for c in region.choices if c[0]]]
        region.help_text = ""
        self.helper = _helper(
            "Add closure day",
            Field.select("committee"),
            Field("date"),
            Field.text("description"),
            Field.select("region"),
        )

    def clean(self):
        data = super().clean()
        date, region = data.get("date"), data.get("region", "")
        committee = data.get("committee")
        if (
            date
            and ClosureDay.objects.filter(date=date, region=region, committee=committee).exists()
        ):
            self.add_error("date", "That day is already a closure day for that region.")
        return data


class LeadershipAgreementForm(forms.Form):
    """The Leadership Team's agreement to an urgent meeting, or why it was not possible."""

    agreed_by = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Who in the Leadership Team agreed",
    )
    agreed_on = SafeDateField(
        required=False, label="Date they agreed", help_text="For example, 3 3 2026"
    )
    not_possible = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Or: why the Leadership Team's agreement was not possible",
    )

    def __init__(self, *args, team=(), citation: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_by"].queryset = Person.objects.filter(pk__in=[p.pk for p in team])
        if citation:
            hint = f"“Where possible … agreed by the Leadership Team” ({citation})."
            self.fields["agreed_by"].help_text = escape(hint)
        self.helper = _helper(
            "Record the Leadership Team's agreement",
            Field.checkboxes("agreed_by", legend_size=Size.SMALL),
            Field("agreed_on"),
            Field.textarea("not_possible"),
        )
        self.helper.form_tag = False
        self.helper.disable_csrf = True
