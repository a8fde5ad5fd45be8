"""Secretariat forms for the partnership's structure, rendered with crispy-forms-gds.

Each is a ModelForm, so `is_valid()` runs the model's `clean()` and its Terms of Reference rules
show as form errors beside the field they concern.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout
from django import forms
from django.db import models

from committees.models import (
    Committee,
    CommitteeRules,
    OfficeEligibility,
    OfficeKind,
    Organisation,
    Part2Ground,
    Place,
    PresidingFallback,
    QuorumCondition,
    RetentionRule,
    Role,
    RuleTopic,
    Seat,
)
from icp_secretariat.lib.dates import SafeDateField


def _formfield(field, **kwargs):
    # Django 6 will assume https for scheme-less URLs; opt in now (and silence the warning).
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class GDSFormMixin:
    """A gds FormHelper without its own <form> tag: templates draw one form around the main form
    and any formsets, with one Save button."""

    def _setup_helper(self) -> None:
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.label_size = "s"
        self.helper.legend_size = "s"


class OrganisationForm(GDSFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "kind",
            "website",
            "governance_contact_name",
            "governance_contact_email",
        ]
        formfield_callback = _formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_helper()


class PlaceForm(GDSFormMixin, forms.ModelForm):
    class Meta:
        model = Place
        fields = ["name", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_helper()


class CommitteeForm(GDSFormMixin, forms.ModelForm):
    class Meta:
        model = Committee
        formfield_callback = _formfield
        fields = [
            "name",
            "short_name",
            "slug",
            "parent",
            "purpose",
            "terms_of_reference_url",
            "terms_of_reference",
            "statutory_partners",
            "places",
            "established",
            "is_active",
        ]
        widgets = {
            "statutory_partners": forms.CheckboxSelectMultiple,
            "places": forms.CheckboxSelectMultiple,
        }
        field_classes = {"established": SafeDateField}
        help_texts = {
            "slug": "Used in web addresses, for example kent-medway-icp.",
            "statutory_partners": "The organisations that are statutory partners of this committee.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Committee.objects.order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self._setup_helper()


def _days(name: str) -> Field:
    return Field.text(name, field_width=4)


def _reference_field(topic: RuleTopic) -> str:
    return f"ref_{topic.value}"


class CommitteeRulesForm(GDSFormMixin, forms.ModelForm):
    """The rules, and the paragraph of the committee's own ToR for each (`references`), one
    text box per RuleTopic: blank means messages cite "the Terms of Reference"."""

    class Meta:
        model = CommitteeRules
        fields = [
            "holiday_region",
            "notice_days",
            "notice_counting",
            "notice_applies_to",
            "papers_days",
            "papers_counting",
            "item_request_days",
            "item_request_counting",
            "urgent_item_request_days",
            "urgent_item_request_counting",
            "author_papers_days",
            "minutes_circulation_days",
            "item_request_reminder_days",
            "author_papers_reminder_days",
            "secretariat_deadline_warning_days",
            "minutes_reminder_days",
            "max_months_between_meetings",
            "deputies_allowed",
            "deputies_may_vote",
            "conflict_deputies_allowed",
            "chair_has_casting_vote",
            "majority_basis",
            "remote_attendance",
            "public_health_seats",
            "quorum_basis",
            "quorum_number",
            "quorum_fraction",
            "decision_prefix",
            "tor_last_reviewed",
            "self_assessment_required",
            "self_assessment_last_done",
            "chair_rotation_years",
            "chair_rotation_start",
            "key_messages_required",
            "minutes_to_partners",
            "agenda_agreed_by",
            "urgent_meeting_needs_leadership_agreement",
            "tor_version",
            "tor_version_from",
        ]
        widgets = {
            "public_health_seats": forms.CheckboxSelectMultiple,
        }
        field_classes = {
            name: SafeDateField
            for name in (
                "tor_last_reviewed",
                "self_assessment_last_done",
                "chair_rotation_start",
                "tor_version_from",
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        references = self.instance.references or {}
        self.fields["public_health_seats"].queryset = Seat.objects.filter(
            committee_id=self.instance.committee_id
        )
        for topic in RuleTopic:
            self.fields[_reference_field(topic)] = forms.CharField(
                label=topic.label,
                max_length=60,
                required=False,
                initial=references.get(topic.value, ""),
            )
        self._setup_helper()
        self.helper.layout = Layout(
            Fieldset(
                "holiday_region",
                _days("notice_days"),
                "notice_counting",
                "notice_applies_to",
                _days("papers_days"),
                "papers_counting",
                _days("item_request_days"),
                "item_request_counting",
                _days("urgent_item_request_days"),
                "urgent_item_request_counting",
                _days("author_papers_days"),
                _days("minutes_circulation_days"),
                legend="Deadlines",
                legend_size="m",
            ),
            Fieldset(
                _days("item_request_reminder_days"),
                _days("author_papers_reminder_days"),
                _days("secretariat_deadline_warning_days"),
                _days("minutes_reminder_days"),
                legend="Reminders",
                legend_size="m",
            ),
            Fieldset(
                _days("max_months_between_meetings"),
                "deputies_allowed",
                "deputies_may_vote",
                "conflict_deputies_allowed",
                "chair_has_casting_vote",
                "majority_basis",
                "remote_attendance",
                "public_health_seats",
                "agenda_agreed_by",
                "urgent_meeting_needs_leadership_agreement",
                legend="Meetings, deputies and voting",
                legend_size="m",
            ),
            Fieldset(
                "quorum_basis",
                _days("quorum_number"),
                _days("quorum_fraction"),
                legend="Quorum",
                legend_size="m",
            ),
            Fieldset(
                Field.text("tor_version", field_width=20),
                "tor_version_from",
                legend="The version of the Terms of Reference in force",
                legend_size="m",
            ),
            Fieldset(
                "decision_prefix",
                "tor_last_reviewed",
                "self_assessment_required",
                "self_assessment_last_done",
                legend="Decisions register and annual cycle",
                legend_size="m",
            ),
            Fieldset(
                _days("chair_rotation_years"),
                "chair_rotation_start",
                legend="The Chair: rotation and who presides",
                legend_size="m",
            ),
            Fieldset(
                "minutes_to_partners",
                "key_messages_required",
                legend="Reporting after each meeting",
                legend_size="m",
            ),
            Fieldset(
                HTML(
                    '<p class="govuk-hint">A paragraph number (7.4) or a heading (Voting): '
                    "messages, refusals and minutes cite it. Leave a box blank where your Terms "
                    "of Reference do not say.</p>"
                ),
                *[Field.text(_reference_field(t), field_width=20) for t in RuleTopic],
                legend="Where each rule is in your Terms of Reference",
                legend_size="m",
            ),
        )

    def clean(self):
        cleaned = super().clean()
        references = {}
        for topic in RuleTopic:
            value = cleaned.pop(_reference_field(topic), "").strip()
            if value:
                references[topic.value] = value
        cleaned["references"] = references
        return cleaned


class QuorumConditionForm(GDSFormMixin, forms.ModelForm):
    office = forms.ChoiceField(
        choices=[("", "Not an office condition")] + list(OfficeKind.choices),
        required=False,
        help_text="For an office condition.",
    )

    class Meta:
        model = QuorumCondition
        fields = ["kind", "minimum", "organisation", "office", "order"]

    def __init__(self, *args, committee=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_helper()


class PresidingFallbackForm(GDSFormMixin, forms.ModelForm):
    class Meta:
        model = PresidingFallback
        fields = ["order", "office", "seat", "other_rotation_seat"]

    def __init__(self, *args, committee=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = Seat.objects.filter(committee=committee)
        self._setup_helper()


class OfficeEligibilityForm(GDSFormMixin, forms.ModelForm):
    class Meta:
        model = OfficeEligibility
        fields = ["office", "seats", "reference", "wording"]
        widgets = {
            "seats": forms.CheckboxSelectMultiple,
            "wording": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, committee=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seats"].queryset = Seat.objects.filter(committee=committee, role=Role.MEMBER)
        self._setup_helper()


class Part2GroundForm(GDSFormMixin, forms.ModelForm):
    class Meta:
        model = Part2Ground
        fields = ["reference", "text", "order"]

    def __init__(self, *args, committee=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_helper()


QuorumConditionFormSet = forms.inlineformset_factory(
    CommitteeRules, QuorumCondition, form=QuorumConditionForm, extra=1, can_delete=True
)
PresidingFallbackFormSet = forms.inlineformset_factory(
    CommitteeRules, PresidingFallback, form=PresidingFallbackForm, extra=1, can_delete=True
)
OfficeEligibilityFormSet = forms.inlineformset_factory(
    CommitteeRules, OfficeEligibility, form=OfficeEligibilityForm, extra=1, can_delete=True
)
Part2GroundFormSet = forms.inlineformset_factory(
    Committee, Part2Ground, form=Part2GroundForm, extra=1, can_delete=True
)


class SeatForm(GDSFormMixin, forms.ModelForm):
    class Meta:
        model = Seat
        fields = ["title", "reference", "role", "organisation", "place", "order"]
        help_texts = {"title": "As the Terms of Reference word it, e.g. Leader of Medway Council."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            (value, label)
            for value, label in self.fields["role"].choices
            if value in ("member", "participant")
        ]
        self._setup_helper()


class RetentionRuleForm(GDSFormMixin, forms.ModelForm):
    """How long the public record stays available and when personal data is removed (issue 19)."""

    class Meta:
        model = RetentionRule
        fields = [
            "record_years",
            "non_member_attendance_months",
            "former_member_interests_months",
            "unconfirmed_subscription_days",
        ]
        widgets = {
            f: forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"})
            for f in fields
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_helper()
