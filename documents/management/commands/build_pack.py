"""`manage.py build_pack <meeting-id> --audience public|members --output FILE`.

Builds the agenda pack from the database into a file, for scripting and benchmarks. `members`
is the secretariat's view (everything); nothing is published or recorded. Exit status 2 for a
bad meeting id or audience, 1 when a paper cannot be read.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents.models import Audience
from documents.selectors import pack_input
from icp_secretariat.lib import pdf
from meetings.models import Meeting


class Command(BaseCommand):
    help = "Build a meeting's agenda pack (public or members') into a PDF file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("meeting_id", help="The meeting's id (as in its page's address).")
        parser.add_argument(
            "--audience",
            required=True,
            help="public (Part 1 only) or members (everything: the secretariat's view).",
        )
        parser.add_argument("--output", required=True, help="The PDF file to write.")

    def _usage(self, message: str) -> None:
        self.stderr.write(self.style.ERROR(message))
        sys.exit(2)

    def handle(self, *args, **options) -> None:
        audience = options["audience"]
        if audience not in (Audience.PUBLIC, Audience.MEMBERS):
            self._usage(f"--audience must be 'public' or 'members', not {audience!r}.")
        raw = options["meeting_id"]
        meeting = (
            Meeting.objects.select_related("committee").filter(pk=int(raw)).first()
            if raw.isdigit()
            else None
        )
        if meeting is None:
            self._usage(f"There is no meeting with id {raw!r}.")
        if audience == Audience.PUBLIC and not meeting.is_public:
            self._usage(f"Meeting {meeting.pk} is held in private: it has no public pack.")
        output = Path(options["output"])
        if not output.parent.is_dir():
            self._usage(f"The folder {output.parent} does not exist.")
        pack, papers = pack_input(meeting, audience)
        started = time.perf_counter()
        tmp = output.with_name(output.name + ".part")
        try:
            with open(tmp, "wb") as fh:
                layout = pdf.write_pack(pack, fh)
        except pdf.PdfError as exc:
            tmp.unlink(missing_ok=True)
            raise CommandError(str(exc)) from exc
        tmp.replace(output)
        self.stdout.write(
            f"Wrote {output}: {layout.total_pages} pages ({layout.front_pages} agenda, "
            f"{len(papers)} papers) in {time.perf_counter() - started:.2f} s."
        )
