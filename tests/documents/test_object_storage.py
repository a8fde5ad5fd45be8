"""Files on an object store (issue 17): with the private storage on S3, papers and built
documents go to the bucket (nothing under PRIVATE_MEDIA_ROOT), privately, and reach readers
only through the access helpers. The store is a real S3 API server (moto's server mode) on
loopback, started by the fixture."""

from __future__ import annotations

import socket

import boto3
import pytest
from botocore.config import Config
from django.core.files.storage import storages
from django.urls import reverse
from moto.server import ThreadedMotoServer

from documents.models import PublishedDocument
from icp_secretariat.env import private_storage_options
from icp_secretariat.lib import files
from meetings.models import Decision, Paper, Part
from public_site import notices
from tests.documents.conftest import PUBLIC_PHRASE, SECRET_PHRASES, pdf_text
from tests.documents.test_build import doc, file_url, run_queued
from tests.meetings.test_access import login, paper_url

pytestmark = pytest.mark.django_db
BUCKET = "icp-private-test"
KEYS = {"access_key": "test-access", "secret_key": "test-secret"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s3_endpoint():
    """A real S3 API server on a free loopback port, with an empty private bucket."""
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        client = _client(endpoint)
        client.create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.stop()


def _client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
        config=Config(s3={"addressing_style": "path"}),
    )


@pytest.fixture
def object_store(settings, s3_endpoint, monkeypatch):
    """The private storage switched to the bucket the way a deployment does: STORAGE_URL."""
    monkeypatch.setenv(
        "STORAGE_URL",
        f"s3://{KEYS['access_key']}:{KEYS['secret_key']}@{BUCKET}/icp"
        f"?endpoint_url={s3_endpoint}&region_name=us-east-1&addressing_style=path",
    )
    options = private_storage_options()
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    assert files.on_object_store()
    yield _client(s3_endpoint)
    storages._storages.pop("private", None)


def _keys(s3) -> list[str]:
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_papers_and_packs_live_in_the_bucket_and_reach_only_entitled_readers(
    object_store, world, client, settings
):
    s3, meeting, people = object_store, world["meeting"], world["people"]
    valuation: Paper = world["valuation"]
    keys = _keys(s3)
    assert f"icp/{valuation.storage_name}" in keys
    # The four processed papers are in the bucket. (The uploaded bytes of each are removed only
    # after the processing commits, which a test's transaction never does.)
    ready = Paper.objects.filter(item__agenda__meeting=meeting, state=Paper.State.READY)
    assert ready.count() == 4
    for paper in ready:
        assert paper.storage_name.startswith("papers/")
        assert f"icp/{paper.storage_name}" in keys

    run_queued(meeting)  # what the worker does after dispatch: build the agenda and packs
    members_pack = doc(meeting, "pack", "members")
    public_pack = doc(meeting, "pack", "public")
    assert members_pack is not None and public_pack is not None
    keys = _keys(s3)
    for document in PublishedDocument.objects.filter(meeting=meeting):
        assert f"icp/{document.storage_name}" in keys
    # Nothing was written to the filesystem store.
    root = settings.PRIVATE_MEDIA_ROOT
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]

    # Private objects: only the owner has any grant; nobody can read them without signing.
    for key in keys:
        grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
        assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
        assert all("AllUsers" not in str(g["Grantee"]) for g in grants)

    # An entitled member downloads the Part 2 paper and the members' pack from the store.
    login(client, people, "member")
    got = client.get(paper_url(valuation))
    assert got.status_code == 200
    # The processed paper from the bucket, stamped for the reader (a Part 2 copy is traced).
    served = pdf_text(b"".join(got.streaming_content))
    assert served and len(served) == len(pdf_text(files.read_bytes(valuation.storage_name)))
    assert all(SECRET_PHRASES["valuation"] in page for page in served)
    assert all("Downloaded by" in " ".join(page.split()) for page in served)
    pack = client.get(file_url(members_pack))
    assert pack.status_code == 200
    text = "\n".join(pdf_text(b"".join(pack.streaming_content)))
    assert SECRET_PHRASES["valuation"] in text and PUBLIC_PHRASE in text

    # The public: the Part 1 paper and the public pack, never Part 2 or the members' pack.
    # (Signed out, they are asked to sign in first: a 302 to the sign-in page, no content.)
    client.logout()
    for url in (paper_url(valuation), file_url(members_pack)):
        refused = client.get(url)
        assert refused.status_code == 302, url
        assert refused["Location"].startswith("/accounts/login/?next="), url
    public = client.get(file_url(public_pack))
    assert public.status_code == 200
    text = "\n".join(pdf_text(b"".join(public.streaming_content)))
    assert PUBLIC_PHRASE in text and SECRET_PHRASES["valuation"] not in text
    finance = client.get(paper_url(world["finance"]))
    assert finance.status_code == 200
    assert b"".join(finance.streaming_content) == files.read_bytes(world["finance"].storage_name)


def test_a_file_gone_from_the_bucket_is_a_404_and_names_are_never_reused(object_store, world):
    s3, finance = object_store, world["finance"]
    with pytest.raises(FileExistsError):
        files.save(finance.storage_name, b"%PDF-1.7 other bytes")
    assert files.read_bytes(finance.storage_name).startswith(b"%PDF-")
    s3.delete_object(Bucket=BUCKET, Key=f"icp/{finance.storage_name}")
    with pytest.raises(FileNotFoundError):
        files.open_file(finance.storage_name)


def test_decision_notices_are_kept_in_the_bucket_and_served_from_it(
    object_store, world, client, settings
):
    """A worker on one machine renders the notice, a web process on another serves it: both
    through the shared store, not a local folder (they were written under PRIVATE_MEDIA_ROOT)."""
    meeting = world["meeting"]
    decision = Decision.objects.create(
        item=world["items"]["p2"],
        meeting=meeting,
        committee=meeting.committee,
        year=2030,
        sequence=7,
        number="TJC/2030/07",
        part=Part.PRIVATE,
        text="SECRET-DECISION-TEXT",
        public_summary="A property matter was decided.",
    )
    name = notices.render_notice(decision.pk, full=False)  # what the worker's task does
    assert name and f"icp/{name}" in _keys(object_store)
    root = settings.PRIVATE_MEDIA_ROOT
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]
    url = reverse("record:decision_notice", args=[meeting.committee.slug, decision.pk])
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    text = "\n".join(pdf_text(b"".join(served.streaming_content)))
    assert "A property matter was decided." in text and "SECRET-DECISION-TEXT" not in text
    # Gone from the store: it is made again (here, with no worker, or by the worker the view
    # asks), never a 500.
    object_store.delete_object(Bucket=BUCKET, Key=f"icp/{name}")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    again = client.get(url)
    assert again.status_code == 200


def test_storage_url_is_checked_at_start_up(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("STORAGE_URL", "s3://bucket?public_read=1")
    with pytest.raises(ImproperlyConfigured, match="STORAGE_URL"):
        private_storage_options()
    monkeypatch.setenv("STORAGE_URL", "ftp://bucket")
    with pytest.raises(ImproperlyConfigured, match="STORAGE_URL"):
        private_storage_options()
    monkeypatch.setenv("STORAGE_URL", "s3://bucket/papers?endpoint_url=http://minio:9000")
    options = private_storage_options()
    assert options["bucket_name"] == "bucket" and options["location"] == "papers"
    assert options["default_acl"] == "private" and options["querystring_auth"] is True
    assert options["file_overwrite"] is False
