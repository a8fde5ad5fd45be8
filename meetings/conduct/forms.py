"""Forms of the in-meeting screen and the minutes editor (validation only; services act)."""

from __future__ import annotations

from django import forms

from icp_secretariat.lib.dates import SafeDateField
from icp_secretariat.lib.recordings import format_timestamp, parse_timestamp, validate_https_url
from meetings.models import Action, AgendaItem, Attendance, Decision, Declaration
from members.models import Person
from members.picklists import people_first


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name + (f" ({obj.job_title})" if obj.job_title else "")


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AgendaItem) -> str:
        return f"{obj.number}. {obj.title}"


class AddPersonForm(forms.Form):
    person = PersonChoiceField(queryset=Person.objects.none(), label="Person")
    capacity = forms.ChoiceField(
        choices=[
            (Attendance.Capacity.DEPUTY, "Deputy for a member"),
            (Attendance.Capacity.ATTENDEE, "Attendee for an item, called by the Chair"),
            (Attendance.Capacity.OBSERVER, "Observer"),
        ],
        widget=forms.RadioSelect,
        label="Attending as",
    )
    status = forms.ChoiceField(
        choices=[
            (Attendance.Status.PRESENT, "In person"),
            (Attendance.Status.REMOTE, "Remotely"),
        ],
        initial=Attendance.Status.PRESENT,
        widget=forms.RadioSelect,
    )
    deputy_for = PersonChoiceField(
        queryset=Person.objects.none(), required=False, label="Deputy for (deputies only)"
    )
    for_item = ItemChoiceField(
        queryset=AgendaItem.objects.none(), required=False, label="Item (attendees only)"
    )
    deputy_items = forms.ModelMultipleChoiceField(
        queryset=AgendaItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Only for these items (a deputy in place of a member the Chair excluded for a "
        "conflict of interest)",
        help_text="Leave empty for a deputy standing in while the member is unable to attend.",
    )

    def __init__(self, *args, meeting, members, people, everyone: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["deputy_for"].queryset = members
        people_first(self.fields["person"], meeting.committee, everyone=everyone, on=meeting.date)
        items = AgendaItem.objects.filter(agenda__meeting=meeting).order_by("number")
        self.fields["for_item"].queryset = items
        self.fields["deputy_items"].queryset = items
        self.fields["deputy_items"].label_from_instance = lambda i: f"{i.number}. {i.title}"
        if not meeting.committee.rules.conflict_deputies_allowed:
            del self.fields["deputy_items"]


class DeclarationForm(forms.Form):
    person = PersonChoiceField(queryset=Person.objects.none(), label="Who declared")
    interest = forms.CharField(
        label="The interest declared", widget=forms.Textarea(attrs={"rows": 2})
    )
    action = forms.ChoiceField(
        choices=Declaration.Action.choices, widget=forms.RadioSelect, label="What they did"
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class DecisionForm(forms.Form):
    text = forms.CharField(label="The decision", widget=forms.Textarea(attrs={"rows": 3}))
    public_summary = forms.CharField(
        label="Public summary (Part 2 only: no confidential detail)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    method = forms.ChoiceField(
        choices=Decision.Method.choices,
        widget=forms.RadioSelect,
        initial=Decision.Method.CONSENSUS,
        label="How it was decided",
    )
    votes_for = forms.IntegerField(min_value=0, required=False, label="For")
    votes_against = forms.IntegerField(min_value=0, required=False, label="Against")
    abstentions = forms.IntegerField(min_value=0, required=False, label="Abstentions")
    casting_vote = forms.ChoiceField(
        choices=[("", "Not used"), ("for", "For"), ("against", "Against")],
        required=False,
        label="Chair's casting vote (only where the rules give one)",
    )


class ActionForm(forms.Form):
    description = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 2}))
    owner = PersonChoiceField(queryset=Person.objects.none(), label="Owner")
    due = SafeDateField(label="Due by", help_text="For example, 30 4 2026")

    def __init__(self, *args, people, committee=None, everyone: bool = False, on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        if committee is not None:
            people_first(self.fields["owner"], committee, everyone=everyone, on=on)


class ActionUpdateForm(forms.Form):
    state = forms.ChoiceField(choices=Action.State.choices, widget=forms.RadioSelect)
    update = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    discussion = forms.CharField(
        required=False,
        label="Discussion, for the minutes",
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class RecordingForm(forms.Form):
    """The recording's address and each Part 1 item's start time in it."""

    url = forms.CharField(
        label="Recording or live stream address",
        required=False,
        help_text="Starting https:// (YouTube, Vimeo or a direct video address).",
        max_length=200,
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"start_{item.pk}"] = forms.CharField(
                label=f"Item {item.number}. {item.title}: starts at",
                required=False,
                help_text="h:mm:ss from the start of the recording; leave empty if not recorded.",
                initial=format_timestamp(item.recording_start),
                max_length=12,
            )

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        validate_https_url(url)
        return url

    def clean(self):
        data = super().clean()
        starts = {}
        for item in self.items:
            name = f"start_{item.pk}"
            try:
                starts[item.pk] = parse_timestamp(data.get(name, ""))
            except ValueError as exc:
                self.add_error(name, str(exc))
        if not data.get("url") and any(v is not None for v in starts.values()):
            self.add_error("url", "Enter the recording's address before the items' start times.")
        data["starts"] = starts
        return data
