"""A select's empty choice reads "Not chosen", never Django's "---------"
(icp_secretariat/lib/blank_choice.py)."""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse

from committees.models import ClosureDay
from icp_secretariat.lib.blank_choice import BLANK_LABEL

pytestmark = pytest.mark.django_db


class _ClosureDayForm(forms.ModelForm):
    class Meta:
        model = ClosureDay
        fields = ["committee", "region"]


def test_optional_model_choices_and_foreign_keys_offer_not_chosen():
    form = _ClosureDayForm()
    assert list(form.fields["region"].choices)[0] == ("", BLANK_LABEL)
    assert list(form.fields["committee"].choices)[0] == ("", BLANK_LABEL)
    html = str(form)
    assert "---------" not in html
    assert f'<option value="" selected>{BLANK_LABEL}</option>' in html


def test_a_form_that_names_its_empty_choice_keeps_its_words():
    field = forms.ModelChoiceField(ClosureDay.objects.all(), empty_label="Every committee")
    assert list(field.choices)[0] == ("", "Every committee")
    assert forms.ModelChoiceField(ClosureDay.objects.all(), empty_label=None).empty_label is None
    multiple = forms.ModelMultipleChoiceField(ClosureDay.objects.all())
    assert multiple.empty_label is None  # a multiple choice has no empty choice to name


def test_secretariat_and_member_pages_show_no_row_of_hyphens(client, personas, committee):
    client.force_login(personas["secretariat"])
    for url in (
        reverse("secretariat:committee_create"),
        reverse("secretariat:seat_create", args=[committee.slug]),
        reverse("secretariat:rules_edit", args=[committee.slug]),
    ):
        page = client.get(url).content.decode()
        assert f">{BLANK_LABEL}</option>" in page, url
        assert "---------" not in page, url
