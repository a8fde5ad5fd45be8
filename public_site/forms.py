"""Forms of the public site: the email alerts subscription."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will send a link to confirm. We use the address only for these alerts.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the right form, like name@example.org",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["email"].widget.attrs["spellcheck"] = "false"
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.text("email"), Submit("submit", "Subscribe"))
