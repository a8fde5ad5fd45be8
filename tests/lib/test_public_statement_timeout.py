"""Public pages run under a statement timeout on PostgreSQL: a query that runs too long is
cancelled by the database, the reader gets a short 503, and the connection is left without the
timeout for whatever runs next."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from icp_secretariat.lib.public_cache import bounded
from tests.conftest import need_postgres


def _slow_view(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(2)")
    return HttpResponse("done")


def _timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


def test_a_slow_public_query_is_cancelled_and_answered_with_503(transactional_db, settings):
    need_postgres()
    settings.PUBLIC_STATEMENT_TIMEOUT_MS = 100
    request = RequestFactory().get("/slow/")
    request.user = AnonymousUser()
    before = _timeout()
    response = bounded(_slow_view)(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    # The timeout does not outlive the request on this (possibly persistent) connection.
    assert _timeout() == before
    settings.PUBLIC_STATEMENT_TIMEOUT_MS = 0
    assert bounded(_slow_view)(request).content == b"done"
