"""`{{ committee|cite:"urgent_meeting" }}`: a rule's paragraph of the committee's own Terms of
Reference in a template, as `CommitteeRules.cite` words it (committees.models.RuleTopic)."""

from __future__ import annotations

from django import template

from committees.models import Committee, CommitteeRules
from committees.models import cite as cite_reference

register = template.Library()


@register.filter
def cite(committee_or_rules: Committee | CommitteeRules | None, topic: str) -> str:
    if isinstance(committee_or_rules, CommitteeRules):
        return committee_or_rules.cite(topic)
    try:
        rules = committee_or_rules.rules if committee_or_rules is not None else None
    except CommitteeRules.DoesNotExist:
        rules = None
    return rules.cite(topic) if rules is not None else cite_reference("")
