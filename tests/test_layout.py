"""The house may be rearranged, but what users and queued work rely on stays: every route keeps
its path and name, and every Celery task keeps its registered name."""

from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

from icp_secretariat.celery import app as celery_app

ROUTES = Path(__file__).parent / "data" / "routes.txt"


def _routes(patterns, prefix="", ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(
                p.url_patterns,
                prefix + str(p.pattern),
                ns + (f"{p.namespace}:" if p.namespace else ""),
            )
        elif isinstance(p, URLPattern):
            yield f"{prefix}{p.pattern}\t{ns}{p.name or ''}"


def test_every_route_keeps_its_path_and_name():
    # routes.txt is the route table as it stood before the apps were rearranged by audience.
    before = set(ROUTES.read_text().splitlines())
    now = set(_routes(get_resolver().url_patterns))
    assert sorted(before - now) == [], "routes gone or renamed"
    assert sorted(now - before) == [], "new routes: add them to tests/data/routes.txt"


def test_celery_tasks_keep_their_registered_names(settings):
    celery_app.loader.import_default_modules()
    registered = set(celery_app.tasks)
    assert {
        "communications.tasks.send_outbox_message",
        "communications.tasks.sweep_outbox",
        "documents.tasks.build_meeting_documents",
        "members.tasks.plan_interest_reminders",
        "meetings.tasks_record.build_minutes_pdf",
    } <= registered
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in registered
