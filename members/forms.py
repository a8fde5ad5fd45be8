"""Secretariat forms for people, memberships and offices (crispy-forms-gds).

Membership and office forms are built on an instance that already has its committee, so the
model's `clean()` (run by `is_valid()`) can apply that committee's rules and show the result as
a form error.
"""

from __future__ import annotations

from django import forms

from committees.forms import GDSFormMixin
from committees.models import Seat
from members.models import Membership, Office, Person

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
        widgets = {"start": _DATE, "end": _DATE}
        labels = {"voting": "Has a vote"}

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
        widgets = {"start": _DATE, "end": _DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_helper()
