"""Forms for agendas, papers, the Chair's decisions and members' item requests (GOV.UK style)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms

from committees.models import Organisation, Part2Ground, Role
from icp_secretariat.lib.dates import SafeDateField
from meetings.agenda.office import ACCEPT_ATTR
from meetings.models import AgendaItem, ItemRequest, Meeting, Paper, Part
from members.models import Person
from members.picklists import organisations_first, people_first


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if fields:
        helper.layout = Layout(*fields)
    return helper


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "title",
            "purpose",
            "presenter",
            "report_author",
            "lead_organisation",
            "timing_minutes",
            "part",
            "part2_ground",
            "public_description",
            "part2_review_date",
            "description",
        ]
        labels = {
            "timing_minutes": "Time allowed (minutes)",
            "part2_ground": "Ground for taking the item in Part 2",
            "public_description": "Public description (Part 2 only)",
            "part2_review_date": "Review date of the ground (Part 2 only)",
            "description": "Notes for members (optional)",
        }
        widgets = {
            "part": forms.RadioSelect,
            "purpose": forms.RadioSelect,
            # GOV.UK advises text inputs with a numeric keyboard rather than type=number.
            "timing_minutes": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        field_classes = {"part2_review_date": SafeDateField}

    def __init__(self, *args, committee, everyone: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part2_ground"].queryset = Part2Ground.objects.filter(committee=committee)
        self.fields["lead_organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["report_author"].queryset = Person.objects.exclude(email="").order_by(
            "last_name", "first_name"
        )
        # The committee's own people and organisations first; the rest on request (issue 13).
        item = self.instance if self.instance.pk else None
        people_first(
            self.fields["report_author"],
            committee,
            everyone=everyone,
            keep={item.report_author_id} if item and item.report_author_id else set(),
        )
        organisations_first(
            self.fields["lead_organisation"],
            committee,
            everyone=everyone,
            keep={item.lead_organisation_id} if item and item.lead_organisation_id else set(),
        )
        self.fields["timing_minutes"].validators.append(_max_minutes)
        self.helper = _helper(
            Field.text("title"),
            Field.radios("purpose", inline=False),
            Field.text("presenter"),
            Field.select("report_author"),
            Field.select("lead_organisation"),
            Field.text("timing_minutes", field_width=5),
            Field.radios("part"),
            Field.select("part2_ground"),
            Field.text("public_description"),
            Field("part2_review_date"),
            Field.textarea("description", rows=3),
        )

    def clean(self):
        data = super().clean()
        if data.get("part") == Part.PRIVATE:
            if not data.get("part2_ground"):
                self.add_error("part2_ground", "Choose the ground for taking this item in private.")
            if not (data.get("public_description") or "").strip():
                self.add_error(
                    "public_description",
                    "Enter what the public agenda says about this item instead of its title.",
                )
        return data


def _max_minutes(value):
    if value is not None and value > 600:
        raise forms.ValidationError("An item cannot be longer than 600 minutes.")


class PaperUploadForm(forms.Form):
    title = forms.CharField(max_length=300)
    file = forms.FileField(
        label="File",
        help_text="A PDF (not password-protected), or a Word, PowerPoint, Excel or "
        "OpenDocument file without macros: it is converted to an accessible PDF.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}),
    )
    reason = forms.CharField(
        label="Reason (for a late or revised paper)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Readers see this reason.",
    )

    def __init__(self, *args, replacing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if replacing:
            self.fields["title"].required = False
            self.fields["title"].help_text = "Leave blank to keep the current title."
        self.helper = _helper(Field.text("title"), Field("file"), Field.textarea("reason", rows=2))


class ItemRequestForm(forms.Form):
    title = forms.CharField(max_length=300, label="Title of the item")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    why = forms.CharField(
        label="Why it matters to the committee",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    urgent = forms.BooleanField(label="This is urgent", required=False)
    urgent_reason = forms.CharField(
        label="Why it is urgent",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title"),
            Field.textarea("summary"),
            Field.textarea("why"),
            Field.checkbox("urgent"),
            Field.textarea("urgent_reason"),
        )

    def clean(self):
        data = super().clean()
        if data.get("urgent") and not (data.get("urgent_reason") or "").strip():
            self.add_error("urgent_reason", "Say why the item is urgent.")
        return data


class ReturnAgendaForm(forms.Form):
    comments = forms.CharField(
        label="Your comments for the secretariat", widget=forms.Textarea(attrs={"rows": 4})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (ItemRequest.State.INCLUDED, "Include it on the agenda"),
            (ItemRequest.State.DECLINED, "Decline it"),
            (ItemRequest.State.DEFERRED, "Defer it to a later meeting"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason (the member is told)", widget=forms.Textarea(attrs={"rows": 3})
    )
    deferred_to = forms.ModelChoiceField(
        queryset=Meeting.objects.none(), required=False, label="Later meeting (if deferring)"
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deferred_to"].queryset = (
            Meeting.objects.scheduled()
            .filter(committee_id=meeting.committee_id, date__gt=meeting.date)
            .select_related("committee")
        )
        self.helper = _helper(
            Field.radios("decision"), Field.textarea("reason"), Field.select("deferred_to")
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == ItemRequest.State.DEFERRED and not data.get("deferred_to"):
            self.add_error("deferred_to", "Choose the meeting to defer the item to.")
        return data


class InvitationForm(forms.Form):
    person = forms.ModelChoiceField(queryset=None, label="Person")
    part2 = forms.BooleanField(label="Invite to Part 2 (the private session)", required=False)
    note = forms.CharField(required=False, max_length=300)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["person"].queryset = Person.objects.filter(
            memberships__committee=committee
        ).distinct()
        self.helper = _helper(Field.select("person"), Field.checkbox("part2"), Field.text("note"))


class WithholdForm(forms.Form):
    paper = forms.ModelChoiceField(queryset=None, label="Part 2 paper")
    person = forms.ModelChoiceField(queryset=None, label="Member or participant")
    reason = forms.CharField(
        label="Reason (for example the declared interest)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["paper"].queryset = Paper.objects.filter(
            item__agenda__meeting=meeting, item__part=Part.PRIVATE, is_current=True
        ).defer("text", "html")
        self.fields["person"].queryset = Person.objects.filter(
            memberships__committee_id=meeting.committee_id,
            memberships__role__in=[Role.MEMBER, Role.PARTICIPANT],
        ).distinct()
        self.helper = _helper(
            Field.select("paper"), Field.select("person"), Field.textarea("reason")
        )
