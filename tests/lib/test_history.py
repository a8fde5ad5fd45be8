"""The audit history's manager class is made once per model (icp_secretariat/lib/history.py)."""

import pytest

from members.models import Person

pytestmark = pytest.mark.django_db


def test_history_managers_share_one_class_and_stay_bound_to_their_instance():
    ada = Person.objects.create(first_name="Ada", last_name="Lovelace", email="ada@example.org")
    bob = Person.objects.create(first_name="Bob", last_name="Byrne", email="bob@example.org")

    # One class for every read, of the model or of any instance (simple-history made a new
    # class, walking the queryset's members, at each read, and it reads it at every save).
    assert type(ada.history) is type(bob.history) is type(Person.history)
    assert type(ada.history) is type(ada.history)

    ada.last_name = "King"
    ada.save()
    # Each read is still its own manager, scoped to its instance (or to the whole model).
    assert ada.history.count() == 2
    assert bob.history.count() == 1
    assert Person.history.count() == 3
    assert ada.history.first().last_name == "King"
    assert ada.history.last().last_name == "Lovelace"
    assert list(bob.history.values_list("first_name", flat=True)) == ["Bob"]
