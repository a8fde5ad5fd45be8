"""Plain-text emails never show HTML entities; sent emails carry Auto-Submitted and a Message-ID
on the site's domain; the demo's links use the demo's own address."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path

import pytest
from django.conf import settings

from communications.mail import absolute_url, queue_message, render_message
from communications.services import deliver_message
from meetings.models import Meeting

TEMPLATES = Path(settings.BASE_DIR) / "templates" / "emails"
NASTY = 'Children\'s & Young <People> "First"'
ENTITIES = ("&#x27;", "&#39;", "&amp;", "&lt;", "&gt;", "&quot;")


class Nasty(str):
    """A value that answers any attribute, key or loop with itself: every variable an email
    template names renders the apostrophe, ampersand, angle brackets and quotes."""

    def __new__(cls):
        return super().__new__(cls, NASTY)

    def __getitem__(self, key):
        return Nasty()

    def __iter__(self):
        return iter([Nasty()])


def message_names() -> list[str]:
    return sorted(p.name.removesuffix("-body.txt") for p in TEMPLATES.glob("*-body.txt"))


def variable_names() -> set[str]:
    """Every name that any email template (and the parts they include) looks up."""
    names: set[str] = set()
    for path in TEMPLATES.glob("*"):
        for tag in re.findall(r"{[{%](.*?)[}%]}", path.read_text()):
            names.update(re.findall(r"(?<![\w.\"':|])([a-z_][a-z0-9_]*)", tag))
    return names - {"if", "for", "in", "not", "and", "or", "endif", "endfor", "else", "elif"}


def test_every_message_has_a_text_body_and_subject():
    names = message_names()
    assert len(names) >= 20
    for name in names:
        assert (TEMPLATES / f"{name}-subject.txt").exists(), name


@pytest.mark.django_db
@pytest.mark.parametrize("name", message_names())
def test_text_parts_of_every_email_show_no_html_entities(name, committee):
    committee.name = committee.short_name = NASTY
    committee.save()
    meeting = Meeting.objects.create(
        committee=committee,
        date=dt.date(2026, 3, 3),
        start_time=dt.time(14, 0),
        venue=NASTY,
        online_link="https://example.org/join?a=1&b=2",
    )
    context = {v: Nasty() for v in variable_names()}
    context.update(committee=committee, meeting=meeting)
    subject, text, html = render_message(name, context)
    assert NASTY in subject + text, f"{name} rendered none of the names given to it"
    for entity in ENTITIES:
        assert entity not in subject, (name, entity, subject)
        assert entity not in text, (name, entity, text)
    assert "https://example.org/join?a=1&b=2" in text or "join?a=1" not in text
    if html:  # the HTML part stays escaped
        assert NASTY not in html
        assert "Children&#x27;s &amp; Young &lt;People&gt;" in html


@pytest.mark.django_db
def test_a_sent_email_is_auto_submitted_with_a_message_id_on_the_sites_domain(
    smtp_server, settings
):
    settings.SITE_URL = "https://icp.example.net:8443"
    message, _ = queue_message(
        recipient="member@example.org",
        name="meeting-cancelled",
        context={"committee_name": NASTY, "date_text": "Tuesday 3 March 2026"},
        idempotency_key="auto-1",
    )
    assert deliver_message(pk=message.pk) == "sent"
    [received] = smtp_server.messages
    assert received["Auto-Submitted"] == "auto-generated"
    assert re.fullmatch(r"<[^@<>]+@icp\.example\.net>", received["Message-ID"])
    assert NASTY in received.get_body(("plain",)).get_content()


def test_the_demo_sends_links_to_its_own_address_and_port(monkeypatch, settings):
    spec = importlib.util.spec_from_file_location(
        "run_demo", Path(settings.BASE_DIR) / "scripts" / "run_demo.py"
    )
    run_demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_demo)
    monkeypatch.delenv("SITE_URL", raising=False)
    assert run_demo.set_site_url("127.0.0.1", 8123) == "http://127.0.0.1:8123"
    settings.SITE_URL = run_demo.os.environ["SITE_URL"]
    assert absolute_url("/my/") == "http://127.0.0.1:8123/my/"
    # An address given by the operator wins.
    monkeypatch.setenv("SITE_URL", "https://icp.example.org")
    assert run_demo.set_site_url("127.0.0.1", 8123) == "https://icp.example.org"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["notice", "dispatch_papers"])
@pytest.mark.parametrize("urgent_reason", ["", "A winter surge needs a decision this week."])
def test_meeting_emails_have_no_run_of_blank_lines(name, urgent_reason, committee):
    # Seen in the demo's notice: two empty lines between "Meeting: Ordinary" and "The agenda
    # and papers will follow." (the meeting details ended with a blank line of their own).
    from meetings.scheduling.services import meeting_context

    meeting = Meeting.objects.create(
        committee=committee,
        date=dt.date(2026, 3, 3),
        start_time=dt.time(14, 0),
        venue="County Hall",
        urgent_reason=urgent_reason,
    )
    context = {
        **meeting_context(meeting),
        "is_update": False,
        "change_reason": "",
        "committee": committee,
        "meeting": meeting,
        "summons": True,
        "name": "Alex",
        "link": "https://example.org/m",
        "items": [],
    }
    _subject, text, _html = render_message(name, context)
    assert "Meeting: Ordinary" in text
    assert "\n\n\n" not in text, text
    after = text.split("Meeting: Ordinary", 1)[1]
    if urgent_reason:
        assert after.startswith("\n\nThis urgent meeting is called at short notice")
        assert f"because: {urgent_reason}\n\n" in after
    else:
        assert after.startswith("\n\n") and not after.startswith("\n\n\n")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", [n for n in message_names() if (TEMPLATES / f"{n}-body.html").exists()]
)
def test_the_html_part_of_every_email_is_titled_with_its_subject(name, committee):
    # Every HTML email had an empty <title> (or none: the interests emails): a forwarded or
    # opened message had no name, and a screen reader announced none.
    from django.utils.html import escape

    committee.name = committee.short_name = NASTY
    committee.save()
    meeting = Meeting.objects.create(
        committee=committee, date=dt.date(2026, 3, 3), start_time=dt.time(14, 0), venue=NASTY
    )
    context = {v: Nasty() for v in variable_names()}
    context.update(committee=committee, meeting=meeting)
    subject, _text, html = render_message(name, context)
    assert subject.strip()
    # A whole document in the product's layout (the interests emails were bare fragments).
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html, name
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title == escape(subject), (name, title)
