"""Issue 16.11: the API answers as its OpenAPI schema says, anonymous and signed in.

Schemathesis generates requests from `/api/v1/schema/` and checks every answer (no 5xx, status
codes, content types, bodies against the schema) through the WSGI application, on the test
database of the `world` (Part 1 and Part 2 papers, dispatched). Few examples per operation keep
it to about a minute on a slow machine."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, given, settings

from tests.meetings.test_access import dispatch


def _load_schema():
    """The schema as /api/v1/schema/ serves it, generated without a request (no database), and
    the WSGI application the cases are sent to."""
    generator = SchemaGenerator(patterns=None)
    raw = json.loads(OpenApiJsonRenderer().render(generator.get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = get_wsgi_application()
    return loaded


schema = _load_schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # As Django's test client does: a request must not close the test's database connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _session(client, world, who: str) -> dict:
    """Headers of one reader ({} for the public), after both meetings are dispatched."""
    people = world["people"]
    dispatch(world["meeting"], people)
    dispatch(world["private"], people)
    if who == "anonymous":
        return {}
    client.force_login(people[who])
    return {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}


@pytest.fixture
def anonymous(client, world):
    return _session(client, world, "anonymous")


@pytest.fixture
def member(client, world):
    return _session(client, world, "member")


EXAMPLES = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _check_every_operation(headers: dict) -> None:
    """Every operation of the schema, a few generated requests each, every answer validated.
    (One test per reader rather than schemathesis's per-operation items: the `world` is built
    once, which keeps the run to about a minute; the lazy `from_fixture` loader does not run on
    pytest 9.)"""
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @EXAMPLES
        def run(case):
            case.call_and_validate(headers=headers)

        try:
            run()
        except Exception as exc:  # report every operation that fails, not only the first
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)


def test_the_api_matches_its_schema_for_the_public(anonymous):
    _check_every_operation(anonymous)


def test_the_api_matches_its_schema_for_a_member(member):
    # A member reads Part 2 titles and papers: other answers than the public's, same schema.
    _check_every_operation(member)
