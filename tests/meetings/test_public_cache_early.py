"""The early answer of cached public pages (issue 17): the first middleware serves an anonymous
GET of a cached page with one cache round trip, before sessions, authentication and the view,
with the same headers and conditional answers as the whole stack; anything else goes through
the stack. The uncached meeting page costs a bounded number of queries on a grown agenda."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from meetings.agenda import services
from tests.meetings.conftest import SECRET_TITLE, pdf_bytes
from tests.meetings.processed import process_all
from tests.meetings.test_access import dispatch, login
from tests.meetings.test_previous_minutes import _previous, _publish

# Every header the whole stack puts on a public page (security, framing, caching).
HEADERS = (
    "Content-Type",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "Vary",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Content-Security-Policy",
)


def _meeting_url(meeting) -> str:
    return reverse("meetings_public:meeting", args=[meeting.committee.slug, meeting.pk])


def test_uncached_meeting_page_costs_at_most_ten_queries_on_a_grown_agenda(
    client, world, django_assert_max_num_queries, django_capture_on_commit_callbacks, redis_url
):
    people, meeting = world["people"], world["meeting"]
    agenda = meeting.agenda
    for n in range(12):
        item = services.add_item(agenda=agenda, by=None, title=f"Business item {n}", part=1)
        services.upload_paper(
            item=item,
            by=people["secretariat"],
            uploaded=SimpleUploadedFile(f"p{n}.pdf", pdf_bytes()),
            title=f"Report {n}",
        )
    assert process_all() == 12
    # The committee's previous meeting, its minutes approved and published: they are the
    # paper of this agenda's minutes item.
    _, minutes = _previous(meeting.committee)
    _publish(minutes)
    dispatch(meeting, people)
    url = _meeting_url(meeting)
    # The first build commits, as every request outside the test's transaction does (what it
    # keeps in the cache for later builds is kept on commit).
    with django_capture_on_commit_callbacks(execute=True):
        body = client.get(url).content.decode()
    assert "Business item 11" in body and "Report 11" in body
    assert "Tuesday 5 March 2030, approved on" in body and "are attached" in body
    # Any write makes the page stale (here: the meeting's venue); it is built again.
    meeting.venue = "Sessions House, Maidstone"
    meeting.save()
    # Issue 17: at most 10. The committee's closure days and ToR versions come from the cache
    # under their own models' generation (a venue does not change them).
    with django_assert_max_num_queries(10):
        body = client.get(url).content.decode()
    assert "Sessions House, Maidstone" in body and "Report 11" in body
    assert "are attached" in body


def _early(response) -> bool:
    """Whether the early middleware answered: the rest of the stack (sessions, authentication)
    never saw the request."""
    return not hasattr(response.wsgi_request, "user")


def _headers(response) -> dict:
    return {h: response.headers.get(h) for h in HEADERS}


def test_a_cached_page_is_answered_early_with_the_same_response_and_304s(
    client, world, django_assert_num_queries
):
    people, meeting = world["people"], world["meeting"]
    dispatch(meeting, people)
    url = _meeting_url(meeting)
    built = client.get(url)
    assert built.status_code == 200 and not _early(built)
    assert "Cookie" in built["Vary"] and built["X-Frame-Options"] == "DENY"
    with django_assert_num_queries(0):
        early = client.get(url)
    assert _early(early)
    assert early.status_code == 200 and early.content == built.content
    assert _headers(early) == _headers(built)

    etag, modified = built["ETag"], built["Last-Modified"]
    for conditional in ({"HTTP_IF_NONE_MATCH": etag}, {"HTTP_IF_MODIFIED_SINCE": modified}):
        with django_assert_num_queries(0):
            not_modified = client.get(url, **conditional)
        assert _early(not_modified) and not_modified.status_code == 304
        assert not_modified.content == b""
        assert not_modified["ETag"] == etag and not_modified["Last-Modified"] == modified
        assert "Cookie" in not_modified["Vary"] and "Content-Type" not in not_modified.headers
    head = client.head(url)
    assert _early(head) and head.status_code == 200 and head["ETag"] == etag

    # A write moves the generation on: the stale copy is never answered, early or not.
    meeting.venue = "Oakwood House, Maidstone"
    meeting.save()
    rebuilt = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert rebuilt.status_code == 200 and not _early(rebuilt)
    assert "Oakwood House, Maidstone" in rebuilt.content.decode()
    assert rebuilt["ETag"] != etag
    again = client.get(url)
    assert _early(again) and "Oakwood House, Maidstone" in again.content.decode()


def test_readers_with_a_session_or_a_message_go_through_the_whole_stack(client, world):
    people, meeting = world["people"], world["meeting"]
    dispatch(meeting, people)
    url = _meeting_url(meeting)
    client.get(url)
    assert _early(client.get(url))

    login(client, people, "member")
    mine = client.get(url)
    assert not _early(mine)
    assert SECRET_TITLE in mine.content.decode() and "private" in mine["Cache-Control"]
    client.logout()
    public = client.get(url)
    assert SECRET_TITLE not in public.content.decode()

    with_message = Client()
    with_message.cookies["messages"] = "anything"
    assert not _early(with_message.get(url))
    fragment = Client().get(url, HTTP_HX_REQUEST="true")
    assert not _early(fragment)
    assert Client().get(url, HTTP_HOST="evil.example.org").status_code == 400


def test_an_embed_answered_early_keeps_its_framing_headers(client, world):
    people, meeting = world["people"], world["meeting"]
    dispatch(meeting, people)
    url = reverse("embed:meetings", args=[meeting.committee.slug])
    built = client.get(url)
    assert built.status_code == 200 and not built.has_header("X-Frame-Options")
    early = client.get(url)
    assert _early(early) and not early.has_header("X-Frame-Options")
    assert _headers(early) == _headers(built)
    assert "frame-ancestors *" in early["Content-Security-Policy"]


def test_the_early_answer_can_be_switched_off_and_never_skips_the_https_redirect(
    client, world_once, settings
):
    people, meeting = world_once["people"], world_once["meeting"]
    dispatch(meeting, people)
    url = _meeting_url(meeting)
    client.get(url)
    assert _early(client.get(url))
    settings.PUBLIC_EARLY_CACHE = False
    off = client.get(url)
    assert off.status_code == 200 and not _early(off)
    settings.PUBLIC_EARLY_CACHE = True
    # Behind SECURE_SSL_REDIRECT a reader over plain HTTP is sent to HTTPS, never answered from
    # the cache; over HTTPS the page is answered early. (A new client: the security middleware
    # reads the setting when it starts.)
    settings.SECURE_SSL_REDIRECT = True
    reader = Client()
    assert reader.get(url, secure=True).status_code == 200
    secure = reader.get(url, secure=True)
    assert secure.status_code == 200 and _early(secure)
    plain = reader.get(url)
    assert plain.status_code == 301 and plain["Location"] == f"https://testserver{url}"
