"""The public page cache (icp_secretariat/lib/public_cache.py, issue 16): what it stores, what
moves it on, and what it answers to conditional requests. Real Redis when REDIS_URL is set."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.http import http_date, parse_http_date

from committees.models import Committee, Role, Seat
from icp_secretariat.lib import public_cache
from meetings.models import Meeting
from members.models import Membership, Person
from tests.conftest import PASSWORD, make_user


class Counted:
    """A plain view that says how often it ran, and sets the headers a page may carry."""

    def __init__(self, status: int = 200):
        self.calls = 0
        self.status = status

    def __call__(self, request):
        self.calls += 1
        response = HttpResponse(f"page {self.calls}", status=self.status)
        response["Content-Disposition"] = 'inline; filename="x.ics"'
        response["X-Robots-Tag"] = "noindex"
        response["Link"] = '<https://example.org/>; rel="canonical"'
        return response


def _get(view, path="/page", method="get", **headers):
    request = getattr(RequestFactory(), method)(path, **headers)
    request.user = AnonymousUser()
    return view(request)


def _membership(client, slug="test-jc", **headers):
    return client.get(reverse("public:membership", args=[slug]), **headers)


def test_a_stored_page_is_served_without_running_the_view_again(db):
    view = Counted()
    page = public_cache.public_page(view)
    first = _get(page)
    again = _get(page)
    assert view.calls == 1
    assert again.content == first.content == b"page 1"
    assert again["ETag"] == first["ETag"]
    # The headers a page needs survive the cache.
    assert again["Content-Disposition"] == 'inline; filename="x.ics"'
    assert again["X-Robots-Tag"] == "noindex"
    assert again["Link"] == '<https://example.org/>; rel="canonical"'
    assert again["Cache-Control"] == "public, max-age=0, must-revalidate"
    head = _get(page, method="head")
    assert view.calls == 1 and head["ETag"] == first["ETag"]


def test_the_query_string_is_part_of_the_page(db):
    view = Counted()
    page = public_cache.public_page(view, params=("year",))
    one, two = _get(page, "/page?year=2025"), _get(page, "/page?year=2026")
    assert view.calls == 2 and one["ETag"] != two["ETag"]
    assert _get(page, "/page?year=2025").content == one.content
    assert view.calls == 2
    # A parameter the page does not read makes no other page (issue 16.9).
    assert _get(page, "/page?year=2025&x=1").content == one.content
    assert view.calls == 2


def test_errors_and_posts_are_not_stored(db):
    missing = Counted(status=404)
    page = public_cache.public_page(missing)
    _get(page)
    _get(page)
    assert missing.calls == 2
    view = Counted()
    page = public_cache.public_page(view)
    posted = _get(page, method="post")
    _get(page, method="post")
    assert view.calls == 2 and not posted.has_header("ETag")


def test_if_none_match_lists_and_star(db):
    page = public_cache.public_page(Counted())
    etag = _get(page)["ETag"]
    assert _get(page, HTTP_IF_NONE_MATCH=f'"other", {etag}').status_code == 304
    assert _get(page, HTTP_IF_NONE_MATCH=f'{etag}, "other"').status_code == 304
    assert _get(page, HTTP_IF_NONE_MATCH="*").status_code == 304
    other = _get(page, HTTP_IF_NONE_MATCH='"other"')
    assert other.status_code == 200 and other["ETag"] == etag


def test_a_page_depending_on_some_models_stays_cached_through_other_writes(db, committee):
    view = Counted()
    page = public_cache.public_page(view, depends_on=("committees.committee",))
    etag = _get(page)["ETag"]
    Person.objects.create(first_name="Unrelated", last_name="Person")
    assert _get(page)["ETag"] == etag and view.calls == 1
    # A write to a model it depends on, m2m changes included, moves it on.
    user = make_user("m2m-secretariat")  # a user row: the auth app feeds no public page
    assert _get(page)["ETag"] == etag and view.calls == 1
    committee.secretariat.add(user)
    moved = _get(page)
    assert moved["ETag"] != etag and view.calls == 2
    committee.name = "Renamed"
    committee.save()
    assert _get(page)["ETag"] != moved["ETag"] and view.calls == 3


def test_the_decorator_with_arguments_and_unrelated_writes(db, committee):
    view = Counted()
    page = public_cache.public_page(depends_on=("committees.committee",))(view)
    assert page.depends_on == ("committees.committee",)
    assert public_cache.public_page(Counted()).depends_on == (public_cache.ALL,)
    etag = _get(page)["ETag"]
    Person.objects.create(first_name="Unrelated", last_name="Person")
    assert _get(page)["ETag"] == etag and view.calls == 1
    committee.save()
    assert _get(page)["ETag"] != etag and view.calls == 2
    # A write in an app that feeds no public page (here a user account) moves nothing on.
    everything = public_cache.public_page(Counted())
    etag = _get(everything)["ETag"]
    make_user("unrelated-user")
    assert _get(everything)["ETag"] == etag


def test_the_decorator_itself_marks_pages_shared_and_varying_on_the_cookie(db):
    """Without any middleware: the decorator's own headers."""
    page = public_cache.public_page(Counted())
    for response in (_get(page), _get(page)):
        assert response["Vary"] == "Cookie"
        assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    request = RequestFactory().get("/page")
    request.user = make_user("reader")
    mine = page(request)
    assert mine["Cache-Control"] == "private, no-cache" and mine["Vary"] == "Cookie"
    assert not mine.has_header("ETag")


def test_an_evicted_generation_starts_afresh(db, committee):
    view = Counted()
    page = public_cache.public_page(view)
    etag = _get(page)["ETag"]
    gen_key, changed_key = public_cache._keys(public_cache.ALL)
    cache.delete(changed_key)
    fresh = _get(page)
    assert fresh.status_code == 200 and fresh["ETag"] != etag
    cache.delete(gen_key)
    assert _get(page)["ETag"] not in (etag, fresh["ETag"])


def test_changes_in_the_members_app_refresh_public_pages(client, committee, personas):
    first = _membership(client)
    assert "Memberrenamed" not in first.text
    assert _membership(client, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    person = Person.objects.get(user=personas["member"])
    person.first_name = "Memberrenamed"
    person.save()
    after = _membership(client, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and "Memberrenamed" in after.text
    # A new row (a new member) shows at once too.
    seat = Seat.objects.create(committee=committee, title="New seat", role=Role.MEMBER)
    assert "Newcomer" not in _membership(client).text
    newcomer = Person.objects.create(first_name="Newcomer", last_name="Persona")
    Membership.objects.create(
        committee=committee, person=newcomer, role=Role.MEMBER, voting=True, seat=seat,
        start="2024-01-01",
    )  # fmt: skip
    assert "Newcomer" in _membership(client).text


def test_new_meetings_show_at_once(client, committee):
    url = reverse("public:meetings", args=["test-jc"])
    assert "1 September 2030" not in client.get(url).text
    meeting = Meeting.objects.create(
        committee=committee,
        date=dt.date(2030, 9, 1),
        start_time=dt.time(10, 0),
        venue="Harbour Hall",
    )
    page = client.get(url).text
    assert meeting.get_absolute_url() in page and "1 September 2030" in page


def test_an_old_if_modified_since_gets_the_new_page_after_a_change(client, committee):
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False) as traveller:
        first = _membership(client)
        modified = first["Last-Modified"]
        assert _membership(client, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
        earlier = http_date(parse_http_date(modified) - 60)
        assert _membership(client, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200
        traveller.shift(120)
        # Nothing changed: the page keeps the date of the last change, not of the request.
        assert _membership(client)["Last-Modified"] == modified
        Committee.objects.filter(pk=committee.pk).update(purpose="x")  # no signal: no change
        assert _membership(client, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
        committee.name = "Changed Joint Committee"
        committee.save()
        after = _membership(client, HTTP_IF_MODIFIED_SINCE=modified)
        assert after.status_code == 200 and "Changed Joint Committee" in after.text
        assert parse_http_date(after["Last-Modified"]) >= parse_http_date(modified) + 120
        again = _membership(client, HTTP_IF_MODIFIED_SINCE=after["Last-Modified"])
        assert again.status_code == 304


def test_a_page_with_a_one_off_message_is_not_shared(committee, personas):
    reader = Client()
    assert reader.login(username=personas["outsider"].username, password=PASSWORD)
    reader.post(reverse("account_logout"))
    mine = _membership(reader)
    assert "signed out" in mine.text.lower()
    assert not mine.has_header("ETag")
    other = _membership(Client())
    assert "signed out" not in other.text.lower()
    # Once the message is read, the reader is served the shared page like anyone else.
    assert _membership(reader)["ETag"] == other["ETag"]


@pytest.mark.parametrize("signed_in", [False, True])
def test_pages_vary_on_the_cookie(client, committee, personas, signed_in):
    if signed_in:
        assert client.login(username=personas["member"].username, password=PASSWORD)
    first = _membership(client)
    responses = [first, _membership(client)]
    if not signed_in:
        responses.append(_membership(client, HTTP_IF_NONE_MATCH=first["ETag"]))
        assert responses[-1].status_code == 304
    else:
        assert first["Cache-Control"] == "private, no-cache"
    for response in responses:
        assert "cookie" in [v.strip().lower() for v in response["Vary"].split(",")]


def _generation_of(model) -> str:
    return public_cache.generation((public_cache.model_topic(model),))[0]


def test_many_writes_in_a_transaction_move_the_generation_once_more_at_commit(
    db, committee, django_capture_on_commit_callbacks
):
    view = Counted()
    page = public_cache.public_page(view, depends_on=(public_cache.model_topic(Committee),))
    _get(page)
    before = _generation_of(Committee)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for n in range(5):
            Committee.objects.create(name=f"Committee {n}", slug=f"c-{n}", purpose="Testing.")
    # Moved at once by the first write (the page kept before is stale), not by each write.
    after_writes = _generation_of(Committee)
    assert after_writes != before
    # One bump at commit for the whole transaction: registered by its first write (here the
    # committee fixture's), none added by each later write.
    assert callbacks == []
    pending = [
        f
        for _sids, f, _robust in connection.run_on_commit
        if isinstance(f, public_cache._PendingBump)
    ]
    assert len(pending) == 1
    pending[0]()
    assert _generation_of(Committee) not in (before, after_writes)
    assert _get(page).content == b"page 2"


def test_a_page_kept_between_two_writes_of_a_transaction_is_not_served_after_the_second(
    db, committee
):
    """The second write moves the generation on again because a page was built (and kept)
    from what the transaction saw in between."""
    view = Counted()
    page = public_cache.public_page(view, depends_on=(public_cache.model_topic(Committee),))
    Committee.objects.create(name="First", slug="first", purpose="Testing.")
    assert _get(page).content == b"page 1"
    assert _get(page).content == b"page 1"  # kept
    Committee.objects.create(name="Second", slug="second", purpose="Testing.")
    assert _get(page).content == b"page 2"


def test_the_decorator_form_keeps_the_parameters_it_names(db):
    def echo(request):
        return HttpResponse(request.GET.urlencode())

    page = public_cache.public_page(params=("q",))(echo)
    assert _get(page, "/page?q=harbour&z=1").content == b"q=harbour"


def _remembered(redis_url, name: str, topics: tuple[str, ...]) -> int:
    """The seconds left before the value remembered under `name` expires."""
    import redis

    gen, _ = public_cache.generation(topics)
    return redis.Redis.from_url(redis_url).ttl(cache.make_key(f"remember:{name}:{gen}"))


def test_a_value_remembered_in_a_transaction_is_kept_a_day_once_it_commits(
    redis_url, db, django_capture_on_commit_callbacks
):
    topics = ("committees.committee",)
    calls = []

    def compute():
        calls.append(1)
        return ["row"]

    with django_capture_on_commit_callbacks(execute=False):
        assert public_cache.remember("rows", topics, compute) == ["row"]
        # Not kept before the commit: a rollback could remove what it was read from.
        assert public_cache.remember("rows", topics, compute) == ["row"]
    assert len(calls) == 2
    with django_capture_on_commit_callbacks(execute=True):
        public_cache.remember("rows", topics, compute)
    assert public_cache.remember("rows", topics, compute) == ["row"] and len(calls) == 3
    day = public_cache.TTL * 24
    assert day - 60 < _remembered(redis_url, "rows", topics) <= day


@pytest.mark.django_db(transaction=True)
def test_a_value_remembered_outside_a_transaction_is_kept_a_day_at_once(redis_url):
    topics = ("committees.committee",)
    calls = []

    def compute():
        calls.append(1)
        return ["row"]

    assert not connection.in_atomic_block
    assert public_cache.remember("rows", topics, compute) == ["row"]
    assert public_cache.remember("rows", topics, compute) == ["row"] and len(calls) == 1
    day = public_cache.TTL * 24
    assert day - 60 < _remembered(redis_url, "rows", topics) <= day
