"""`manage.py deadlines <committee-slug> <YYYY-MM-DD> [--json]`: a meeting's deadlines under the
committee's rules and calendar."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from committees.calendars import calendar_for
from committees.models import Committee
from meetings.scheduling import deadlines as dl


class Command(BaseCommand):
    help = "Print the deadlines for a meeting on a date under a committee's rules."

    def add_arguments(self, parser):
        parser.add_argument("committee", help="The committee's slug, e.g. kent-medway-icp.")
        parser.add_argument("date", help="The meeting date, YYYY-MM-DD.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, **options):
        try:
            meeting_date = dt.date.fromisoformat(options["date"])
        except ValueError:
            raise CommandError(
                f"{options['date']!r} is not a date: give it as YYYY-MM-DD, e.g. 2026-01-06.",
                returncode=2,
            ) from None
        committee = (
            Committee.objects.select_related("rules").filter(slug=options["committee"]).first()
        )
        if committee is None:
            known = ", ".join(Committee.objects.values_list("slug", flat=True)[:20]) or "none"
            raise CommandError(
                f"No committee with the slug {options['committee']!r} (known: {known}).",
                returncode=2,
            )
        if not hasattr(committee, "rules"):
            raise CommandError(f"{committee} has no rules set up yet.", returncode=2)
        rules = committee.rules
        dates = dl.deadline_dates(meeting_date, rules, calendar_for(rules))
        if options["json"]:
            self.stdout.write(json.dumps({k: v.isoformat() for k, v in dates.items()}))
            return
        self.stdout.write(f"{committee.name}: meeting on {meeting_date:%A %-d %B %Y}")
        for key, due in dates.items():
            self.stdout.write(f"  {dl.label(key, rules)}: {due:%a %-d %b %Y}")
