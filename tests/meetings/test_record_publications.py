"""Minutes and decisions in the feed, the sitemap and search: each persona finds exactly what the
record's access rules allow (the queryset forms agree with the predicates), Part 2 minutes and
full Part 2 decisions never reach the public, and publishing minutes alerts subscribers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from communications.models import OutboxMessage
from meetings import access
from meetings.minutes import services as minutes_services
from meetings.models import Decision, Minutes, Part
from public_site.publications import recent_publications
from public_site.search import run_search
from tests.conftest import full_sitemap, need_postgres
from tests.meetings.record_published import (  # noqa: F401
    PERSONAS,
    SECRET_DECISION,
    SECRET_MINUTES,
    _published_world,
    km_fixture,
    published_fixture,
)


def _user(km, who):
    return AnonymousUser() if who == "anonymous" else km.users[who]


def _fresh(km, who):
    # committee_access caches on the user object: check the predicate on a fresh copy.
    if who == "anonymous":
        return AnonymousUser()
    return type(km.users[who]).objects.get(pk=km.users[who].pk)


@pytest.mark.parametrize("who", PERSONAS)
def test_minutes_queryset_agrees_with_the_predicate(km, published, who):
    rows = list(Minutes.objects.select_related("meeting__committee"))
    assert len(rows) == 4
    for part in (Part.PUBLIC, Part.PRIVATE):
        listed = set(
            access.minutes_visible_queryset(_user(km, who), part).values_list("pk", flat=True)
        )
        user = _fresh(km, who)
        expected = {m.pk for m in rows if access.minutes_visible_to(user, m, part)}
        assert listed == expected, (who, part)
    # And the rule itself: the public and the observer read only published Part 1 of a public
    # meeting; members read every circulated version, Part 2 included.
    part2 = set(
        access.minutes_visible_queryset(_user(km, who), Part.PRIVATE).values_list("pk", flat=True)
    )
    assert (published["minutes"].pk in part2) == (
        who in {"secretariat", "admin", "kcc_leader", "kcc_exec1", "participant"}
    )


@pytest.mark.parametrize("who", PERSONAS)
def test_decision_queryset_agrees_with_the_predicate(km, published, who):
    rows = list(Decision.objects.select_related("meeting", "committee"))
    assert len(rows) == 4  # two at the first meeting, the approval, the private meeting's
    full = set(access.decisions_full_text_queryset(_user(km, who)).values_list("pk", flat=True))
    user = _fresh(km, who)
    assert full == {d.pk for d in rows if access.decision_full_text_visible_to(user, d)}
    listed = set(access.listed_decisions_queryset(_user(km, who)).values_list("pk", flat=True))
    assert listed == {d.pk for d in rows}  # the register lists all, Part 2 by summary


@pytest.mark.parametrize("who", PERSONAS)
def test_search_finds_minutes_and_decisions_as_the_rules_allow(km, published, who):
    user = _user(km, who)
    entitled = who in {"secretariat", "admin", "kcc_leader", "kcc_exec1", "participant"}
    staff = who in {"secretariat", "admin", "kcc_leader"}

    hits = run_search(user, "harbour")
    minutes_urls = [h.url for h in hits if h.kind == "minutes"]
    first_url = reverse("record:minutes", args=[km.committee.slug, published["first"].pk])
    assert first_url in minutes_urls  # published Part 1 is found by everyone
    # Drafts: staff only; circulated: members too; the private meeting's: members only.
    second_url = reverse("record:minutes", args=[km.committee.slug, published["draft"].meeting_id])
    third_url = reverse(
        "record:minutes", args=[km.committee.slug, published["circulated"].meeting_id]
    )
    private_url = reverse("record:minutes", args=[km.committee.slug, published["private"].pk])
    assert (second_url in minutes_urls) == staff
    assert (third_url in minutes_urls) == entitled
    assert (private_url in minutes_urls) == entitled

    for hit in hits:
        assert SECRET_DECISION not in hit.snippet or entitled
        assert SECRET_MINUTES not in hit.snippet or entitled
    secret_hits = run_search(user, "quayside")
    kinds = {h.kind for h in secret_hits}
    assert ("minutes" in kinds) == entitled  # only Part 2 of the minutes mentions it
    assert ("decision" in kinds) == entitled
    for hit in secret_hits:
        assert "quayside" not in hit.title.lower() or entitled

    decisions = [h for h in run_search(user, "harbour purchase") if h.kind == "decision"]
    assert len(decisions) == 1  # found by its summary, or by its full text
    secret = Decision.objects.get(part=2, meeting=published["first"])
    assert decisions[0].url.endswith(f"#decision-{secret.pk}")
    private_decision = [h for h in run_search(user, "estates strategy") if h.kind == "decision"]
    assert bool(private_decision) == entitled


def test_feed_and_sitemap_list_published_minutes_and_decisions_without_part2(client, km, published):
    pubs = recent_publications(committee=km.committee)
    kinds = [p.kind for p in pubs]
    assert kinds.count("minutes") == 1  # the draft, the circulated and the private ones are not
    assert kinds.count("decision") == 4
    text = " ".join(f"{p.title} {p.summary}" for p in pubs)
    assert SECRET_DECISION not in text and "quayside" not in text
    assert "Agreed a harbour purchase." in text and "Award the harbour care contract." in text
    assert "estates strategy" not in text and "Agreed an estates matter." in text

    feed = client.get(reverse("feeds:committee_atom", args=[km.committee.slug])).content.decode()
    minutes_url = reverse("record:minutes", args=[km.committee.slug, published["first"].pk])
    assert minutes_url in feed and "Agreed a harbour purchase." in feed
    assert SECRET_DECISION not in feed and SECRET_MINUTES not in feed
    sitemap = full_sitemap(client)
    assert minutes_url in sitemap
    notice = reverse(
        "record:decision_notice",
        args=[km.committee.slug, Decision.objects.get(part=2, meeting=published["first"]).pk],
    )
    assert notice in sitemap
    private_url = reverse("record:minutes", args=[km.committee.slug, published["private"].pk])
    assert private_url not in sitemap and private_url not in feed


def test_publishing_minutes_alerts_the_subscribers_once(km, published):
    alerts = OutboxMessage.objects.filter(message_name="alert_published")
    assert alerts.count() == 1
    alert = alerts.get()
    assert alert.recipient == "resident@example.org"
    assert alert.meeting_id == published["first"].pk
    assert "the minutes" in alert.subject + alert.body_text
    url = reverse("record:minutes", args=[km.committee.slug, published["first"].pk])
    assert f"http://testserver{url}" in alert.body_text
    # A correction of published minutes is not a second publication alert.
    minutes_services.correct_minutes(
        minutes=published["minutes"], texts={"quorum": "Quorate, corrected."}, reason="Typo."
    )
    assert alerts.count() == 1


def test_postgres_search_highlights_minutes_and_decision_text(km, published):
    need_postgres()
    hits = run_search(km.users["kcc_exec1"], "valuation")
    minutes = next(h for h in hits if h.kind == "minutes")
    assert "<mark>valuation</mark>" in minutes.snippet.lower()
    public = run_search(AnonymousUser(), "valuation")
    assert not [h for h in public if h.kind == "minutes"]
    decision = next(h for h in run_search(AnonymousUser(), "purchases") if h.kind == "decision")
    assert "<mark>purchase</mark>" in decision.snippet  # stemmed
