"""Schema changes keep what the secretariat entered."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("committees", "0006_rule_references")
AFTER = ("committees", "0007_fold_rule_references_into_references")


@pytest.mark.django_db(transaction=True)
def test_the_four_reference_fields_fold_into_references_and_back():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    apps = executor.loader.project_state([BEFORE]).apps
    Committee = apps.get_model("committees", "Committee")
    CommitteeRules = apps.get_model("committees", "CommitteeRules")
    committee = Committee.objects.create(name="Joint Committee", slug="jc-migration")
    CommitteeRules.objects.create(
        committee=committee,
        tor_review_reference="14.1",
        self_assessment_reference="11.5",
        chair_rotation_reference="6.3",
        presiding_reference=" 6.8 ",
        references={"voting": "7.4"},
    )

    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])
    apps = executor.loader.project_state([AFTER]).apps
    rules = apps.get_model("committees", "CommitteeRules").objects.get(
        committee__slug="jc-migration"
    )
    assert rules.references == {
        "voting": "7.4",
        "tor_review": "14.1",
        "self_assessment": "11.5",
        "chair_rotation": "6.3",
        "presiding": "6.8",
    }

    # And back: nothing is lost if the change is undone.
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    apps = executor.loader.project_state([BEFORE]).apps
    rules = apps.get_model("committees", "CommitteeRules").objects.get(
        committee__slug="jc-migration"
    )
    assert (rules.tor_review_reference, rules.presiding_reference) == ("14.1", "6.8")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
