"""Transactional tests leave an empty database behind: Django's flush, which tests/conftest.py
makes DELETE every table (instead of TRUNCATE) on PostgreSQL."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from committees.models import Organisation
from members.models import Membership, Person
from tests import snapshots
from tests.conftest import make_committee, make_user


def _counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for model in snapshots._models():  # every table the project's models have
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            counts[model._meta.label] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_every_table_whatever_refers_to_what():
    # Rows that refer to each other, some through PROTECT keys (a membership's person and
    # organisation), and their audit history.
    committee = make_committee()
    org = Organisation.objects.create(name="Flush Council", kind="council")
    person = Person.objects.create(first_name="Flo", last_name="Flush", user=make_user("flo"))
    Membership.objects.create(committee=committee, person=person, organisation=org)
    before = _counts()
    assert before["members.Membership"] == 1 and before["members.HistoricalPerson"] == 1

    if connection.vendor == "postgresql":
        sql = connection.ops.sql_flush(no_style(), ["members_person", "members_membership"])
        assert sql[0].startswith("SET CONSTRAINTS ALL DEFERRED")
        assert [s.split()[:2] for s in sql[1:]] == [["DELETE", "FROM"]] * 2

    # As Django's TransactionTestCase does after each test: the person and the organisation
    # may be deleted before the membership that refers to them; the keys are checked when the
    # flush commits, with every table empty.
    call_command("flush", interactive=False, verbosity=0)

    after = _counts()
    made_again = {"contenttypes.ContentType", "auth.Permission"}  # by post_migrate, as always
    assert {label for label, n in after.items() if n} == made_again
    assert ContentType.objects.filter(app_label="committees", model="committee").exists()
    assert Permission.objects.filter(codename="add_committee").exists()
