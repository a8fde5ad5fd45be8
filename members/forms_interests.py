"""Forms for declaring interests (members' pages) and reviewing them (secretariat)."""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils import timezone

from committees.models import Organisation
from icp_secretariat.lib.dates import SafeDateInputField
from members.models import InterestCategory


def _date(label: str, *, required: bool = True, help_text: str = "") -> SafeDateInputField:
    field = SafeDateInputField(label=label, required=required, help_text=help_text)
    field.error_messages["required"] = f"Enter the {label.lower()} as day, month and year"
    return field


class InterestForm(forms.Form):
    category = forms.ChoiceField(
        label="What kind of interest is it?",
        choices=InterestCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of interest"},
    )
    involved = forms.CharField(
        label="Organisation or person involved",
        max_length=300,
        help_text="For example the company you are a director of, or your relative's employer.",
        error_messages={"required": "Enter the organisation or person involved"},
    )
    organisation = forms.ModelChoiceField(
        label="Is it one of the partnership's organisations? (optional)",
        queryset=Organisation.objects.all(),
        required=False,
        empty_label="No, or not listed",
    )
    description = forms.CharField(
        label="Describe the interest",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example 'Non-executive director (paid)' or 'Spouse employed as a GP'.",
        error_messages={"required": "Describe the interest"},
    )
    start_date = _date("Date the interest began", help_text="For example, 27 3 2024")
    end_date = _date(
        "Date the interest ended",
        required=False,
        help_text="Leave blank if the interest continues.",
    )

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        fields = [
            Field.radios("category", legend_size=Size.MEDIUM),
            Field.text("involved"),
            Field.select("organisation"),
            Field.textarea("description"),
            Field("start_date"),
            Field("end_date"),
        ]
        if editing:
            self.fields["changed_on"] = _date(
                "Date of the change",
                help_text="The 28 days to declare a change run from this date.",
            )
            fields.append(Field("changed_on"))
        self.helper = FormHelper()
        self.helper.layout = Layout(*fields, Submit("submit", "Send for review"))

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        today = timezone.localdate()
        if start and start > today + dt.timedelta(days=366):
            self.add_error("start_date", "The date the interest began is too far ahead")
        if start and end and end < start:
            self.add_error("end_date", "The date the interest ended must be after it began")
        changed = data.get("changed_on")
        if changed and changed > today:
            self.add_error("changed_on", "The date of the change must be today or in the past")
        return data


class EndInterestForm(forms.Form):
    end_date = _date("Date the interest ended")

    def __init__(self, *args, began: dt.date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.began = began
        self.helper = FormHelper()
        self.helper.layout = Layout(Field("end_date"), Submit("submit", "End this interest"))

    def clean_end_date(self) -> dt.date:
        end = self.cleaned_data["end_date"]
        if end > timezone.localdate():
            raise forms.ValidationError("The date the interest ended must be today or earlier")
        if self.began and end < self.began:
            raise forms.ValidationError(
                f"The interest began on {self.began:%-d %B %Y}; it cannot end before that"
            )
        return end


class WithholdForm(forms.Form):
    reason = forms.CharField(
        label="Why is this entry withheld from the published register?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded with the entry. For example, a risk to personal safety.",
        error_messages={"required": "Enter the reason for withholding this entry"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.textarea("reason"))


class CampaignForm(forms.Form):
    due_date = _date("Date to confirm by")
    reminder_every_days = forms.IntegerField(
        label="Remind people who have not confirmed every (days)",
        min_value=1,
        max_value=60,
        initial=7,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many days between reminders",
            "invalid": "Enter the days between reminders as a whole number, like 7",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("due_date"), Field.text("reminder_every_days", field_width=3)
        )

    def clean_due_date(self) -> dt.date:
        due = self.cleaned_data["due_date"]
        if due <= timezone.localdate():
            raise forms.ValidationError("The date to confirm by must be after today")
        return due
