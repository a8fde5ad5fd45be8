"""Control characters never get in: one clean-up for every text field (issue 16, point 6).

Text pasted from Word carries vertical tabs (its manual line break), form feeds and other C0/C1
control characters. They are invalid in XML 1.0, so one of them in a paper title broke the Atom
feed for everyone. `clean_text` turns the line-breaking ones into a line break (or a space on a
one-line field) and drops the rest; tab and newline are kept where a field may hold them.

It runs in three places, the same function each time:
- every form `CharField` (ModelForms, plain forms, the admin, allauth; `install()` at start-up),
  passwords excepted, so the value a form validates is the value saved;
- a `pre_save` safety net on every model of our apps (`install()`), for services and scripts,
  the texts inside JSON fields included (a minutes' sections);
- the output of feeds and calendars (`xml_safe`), for anything stored before.
"""

from __future__ import annotations

import re

# Line breaks in disguise: vertical tab (Word's Shift+Enter), form feed, NEL, LS, PS.
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Every other C0/C1 control (tab and newline kept), and the XML non-characters.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")
_LINE = re.compile("[\n\t]")


def clean_text(value: str, *, multiline: bool = True) -> str:
    """`value` without control characters; line breaks kept as "\\n" when `multiline`, else
    turned into spaces (so "Budget\\vupdate" on a one-line field reads "Budget update")."""
    if not value:
        return value
    value = _CONTROLS.sub("", _BREAKS.sub("\n", value))
    if not multiline:
        value = _LINE.sub(" ", value)
    return value


def xml_safe(value):
    """For output (feeds, calendars, PDFs): the same clean-up on whatever was stored before it
    existed. Non-strings pass through."""
    return clean_text(value) if isinstance(value, str) else value


def _clean_form_value(original):
    def to_python(self, value):
        value = original(self, value)
        if isinstance(value, str) and not getattr(self.widget, "input_type", "") == "password":
            from django.forms import Textarea

            value = clean_text(value, multiline=isinstance(self.widget, Textarea))
            if self.strip:
                value = value.strip()
            if value in self.empty_values:
                return self.empty_value
        return value

    to_python.clean_input = True
    return to_python


def _clean_model(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # fixtures load as they are
        return
    from django.db import models

    for field in sender._meta.concrete_fields:
        if isinstance(field, models.JSONField):  # the texts inside (minutes' sections)
            value = getattr(instance, field.attname, None)
            cleaned = _clean_json(value)
            if cleaned != value:
                setattr(instance, field.attname, cleaned)
            continue
        if not isinstance(field, models.CharField | models.TextField) or field.choices:
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(value, str) and value:
            cleaned = _CONTROLS.sub("", _BREAKS.sub(_line_break(field), value))
            if cleaned != value:
                setattr(instance, field.attname, cleaned)


def _clean_json(value):
    """Every string in a JSON value (keys too) cleaned as a text field's; the rest as it was."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean_json(v) for v in value]
    if isinstance(value, dict):
        return {_clean_json(k): _clean_json(v) for k, v in value.items()}
    return value


def _line_break(field) -> str:
    from django.db import models

    return "\n" if isinstance(field, models.TextField) else " "


def install(app_labels: set[str] | None = None) -> None:
    """Once, from an AppConfig.ready(): every form CharField cleans its value, and every save
    of a model in `app_labels` (all apps when None) is cleaned first."""
    from django import forms
    from django.db.models.signals import pre_save

    if not getattr(forms.CharField.to_python, "clean_input", False):
        forms.CharField.to_python = _clean_form_value(forms.CharField.to_python)

    def receiver(sender, **kwargs):
        if app_labels is None or sender._meta.app_label in app_labels:
            _clean_model(sender, **kwargs)

    pre_save.connect(receiver, weak=False, dispatch_uid="clean_input_pre_save")


def safe_feed(feed_class):
    """A syndication feed class whose every text is passed through `xml_safe`, so a control
    character stored before the clean-up cannot make the feed (an XML document) fail."""

    class SafeFeed(feed_class):
        def __init__(self, *args, **kwargs):
            args = [xml_safe(a) for a in args]
            kwargs = {k: _deep_safe(v) for k, v in kwargs.items()}
            super().__init__(*args, **kwargs)

        def add_item(self, *args, **kwargs):
            args = [xml_safe(a) for a in args]
            kwargs = {k: _deep_safe(v) for k, v in kwargs.items()}
            if isinstance(kwargs.get("title"), str):  # a title is one line
                kwargs["title"] = clean_text(kwargs["title"], multiline=False)
            super().add_item(*args, **kwargs)

    SafeFeed.__name__ = SafeFeed.__qualname__ = f"Safe{feed_class.__name__}"
    return SafeFeed


def _deep_safe(value):
    if isinstance(value, list | tuple):
        return type(value)(_deep_safe(v) for v in value)
    return xml_safe(value)
