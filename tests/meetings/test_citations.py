"""Messages cite the committee's own ToR (`rules.cite`, the `cite` filter): no K&M paragraph
number is written into a message, a refusal or a template (issue 14)."""

from __future__ import annotations

import ast
import datetime as dt
import pathlib
import re

import pytest

from meetings.agenda import services
from meetings.errors import AgendaError

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = ["meetings", "members", "committees", "public_site", "portal", "communications", "documents"]
# "ToR 7.4" written into a string; "K&M ToR 6.3" in a hint that names whose ToR it quotes is fine.
HARD_CODED = re.compile(r"(?<!K&M )ToR \d")


def _docstrings(tree: ast.AST) -> set[int]:
    kinds = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, kinds)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def test_no_string_in_the_code_hard_codes_a_tor_paragraph():
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text())
            docs = _docstrings(tree)
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in docs
                    and HARD_CODED.search(node.value)
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_no_template_hard_codes_a_tor_paragraph():
    found = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*")
        if path.is_file()
        and path.suffix in (".html", ".txt")
        and HARD_CODED.search(path.read_text())
    ]
    assert found == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reference", "cited"),
    [
        ("12.1.1", "(ToR 12.1.1)"),
        ("Conduct & Operation", "(ToR, Conduct & Operation)"),
        ("", "(the Terms of Reference)"),
    ],
)
def test_dispatching_an_agenda_not_agreed_cites_the_committees_agenda_rule(
    meeting, people, reference, cited
):
    rules = meeting.committee.rules
    rules.references = {"agenda": reference} if reference else {}
    rules.save()
    agenda = services.get_or_create_agenda(meeting=meeting)
    with pytest.raises(AgendaError) as exc:
        services.dispatch_agenda(agenda=agenda, by=people["secretariat"])
    assert cited in str(exc.value)


@pytest.mark.django_db
@pytest.mark.parametrize(("world_name", "cited"), [("km", "(ToR 7.4)"), ("mse", "(ToR, Voting)")])
def test_too_many_votes_cites_each_committees_own_voting_rule(world_name, cited):
    """K&M words its voting rule at 7.4, M&SE under the heading "Voting"."""
    from meetings.conduct import services as record
    from meetings.errors import ConductError
    from tests.meetings.record_world import (
        QUORATE_NINE,
        business_item,
        km_world,
        mark_present,
        meeting_with_agenda,
        mse_world,
    )

    w = km_world() if world_name == "km" else mse_world()
    present = QUORATE_NINE if world_name == "km" else ["m1", "m2", "m3", "m4"]
    meeting = meeting_with_agenda(w, dt.date(2026, 3, 10))
    mark_present(w, meeting, present)
    with pytest.raises(ConductError) as exc:
        record.record_decision(
            item=business_item(meeting),
            text="Carried?",
            method="vote",
            votes_for=len(present),
            votes_against=1,
        )
    assert f"one vote per voting member {cited}." in str(exc.value)
