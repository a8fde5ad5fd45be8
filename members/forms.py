"""Secretariat forms for people, memberships and offices (crispy-forms-gds).

Membership and office forms are built on an instance that already has its committee, so the
model's `clean()` (run by `is_valid()`) can apply that committee's rules and show the result as
a form error.
"""

from __future__ import annotations

from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms

from committees.forms import GDSFormMixin
from committees.models import Seat
from icp_secretariat.lib.dates import SafeDateField
from members.models import Membership, Office, Person

_CHOOSE_PERSON = {"required": "Choose the person."}


class PersonForm(GDSFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["honorific", "first_name", "last_name", "email", "job_title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_helper()


class MembershipForm(GDSFormMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = [
            "person",
            "role",
            "voting",
            "seat",
            "organisation",
            "place",
            "deputy_for",
            "start",
            "end",
        ]
        field_classes = {"start": SafeDateField, "end": SafeDateField}
        labels = {"voting": "Has a vote"}
        error_messages = {"person": _CHOOSE_PERSON}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        committee = self.instance.committee
        self.fields["seat"].queryset = Seat.objects.filter(committee=committee)
        deputisable = Membership.objects.filter(committee=committee).select_related(
            "person", "seat"
        )
        if self.instance.pk:
            deputisable = deputisable.exclude(pk=self.instance.pk)
        self.fields["deputy_for"].queryset = deputisable
        self._setup_helper()


class OfficeForm(GDSFormMixin, forms.ModelForm):
    class Meta:
        model = Office
        fields = ["person", "kind", "start", "end"]
        field_classes = {"start": SafeDateField, "end": SafeDateField}
        error_messages = {"person": _CHOOSE_PERSON}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_helper()


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form worded and labelled as GOV.UK patterns ask: a visible label on
    each field, no placeholders standing in for labels, and the reset link beside the button."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Username or email"
        self.fields["password"].help_text = ""
        self.fields["remember"].label = "Keep me signed in on this device"
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
        self.fields["login"].widget.attrs["autocomplete"] = "username"
        self.fields["login"].widget.attrs["spellcheck"] = "false"
