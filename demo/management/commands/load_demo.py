"""`manage.py load_demo`: create or update the demo data; safe to run any number of times.

Each app that adds demo data (meetings, papers, minutes...) plugs in with one line in
DEMO_LOADERS: a dotted path to a function taking no arguments. They run in order, each in its
own transaction, so a later loader can rely on what an earlier one made.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from demo.committees import DEMO_LOGINS, DEMO_PASSWORD

DEMO_LOADERS: list[str] = [
    "demo.committees.load",
    "demo.members.load",
    "demo.meetings.load",
    "demo.agenda.load",
    "demo.office.load",
    "demo.public_record.load",
    "demo.record.load",
    "demo.supplementary.load",
    "demo.documents.load",
    "demo.terms_of_reference.load",
]


class Command(BaseCommand):
    help = "Load the demo: both ICPs of the seeds, their members and the persona logins."

    def handle(self, *args, **options) -> None:

        for path in DEMO_LOADERS:
            loader = import_string(path)
            with transaction.atomic():
                loader()
            if options["verbosity"] >= 2:
                self.stdout.write(f"Loaded {path}")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if options["verbosity"] >= 1:
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            for login in DEMO_LOGINS:
                self.stdout.write(f"  {login.username:<16} {login.persona:<20} {login.who}")
