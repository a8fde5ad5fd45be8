"""A select's empty choice reads "Not chosen", not Django's "---------".

Django offers a row of nine hyphens as the empty choice of every optional select built from a
model: the report author and lead organisation of an agenda item, the committee a sub-committee
is part of, the item an attendee deputises for, the meeting a request is deferred to, the
conditions of the rules, and more (over 20 boxes on secretariat and member pages). On screen it
reads as a rule, not as an answer; a screen reader reads it as "dash dash dash" or as nothing.
A form that names its empty choice ("Every committee", "Choose a committee") keeps its own
words: only Django's default changes.
"""

from __future__ import annotations

BLANK_LABEL = "Not chosen"
DJANGO_DASH = "---------"


def name_blank_choices() -> None:
    """Install once, at start-up (AppConfig.ready)."""
    # Imported here, as the other start-up guards import what they patch.
    from django.db.models import fields
    from django.forms import models

    init = models.ModelChoiceField.__init__
    if getattr(init, "names_blank_choice", False):
        return
    # A model field with choices takes this list as the default of `get_choices`, bound when
    # Django defined the method, so the list itself is changed, not the name.
    fields.BLANK_CHOICE_DASH[:] = [("", BLANK_LABEL)]

    def __init__(self, queryset, *, empty_label=BLANK_LABEL, **kwargs):
        if empty_label == DJANGO_DASH:
            empty_label = BLANK_LABEL
        init(self, queryset, empty_label=empty_label, **kwargs)

    __init__.names_blank_choice = True
    models.ModelChoiceField.__init__ = __init__
