"""`manage.py build_pack`: builds a pack from the database for scripting; exit 2 on bad input."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from tests.documents.conftest import SECRET_PHRASES, pdf_text

pytestmark = pytest.mark.django_db


def test_builds_the_members_and_public_packs(world, tmp_path):
    meeting = world["meeting"]
    out = io.StringIO()
    members = tmp_path / "members.pdf"
    call_command("build_pack", str(meeting.pk), audience="members", output=str(members), stdout=out)
    assert "pages" in out.getvalue()
    reader = PdfReader(members)
    papers = sum(world[k].page_count for k in ("finance", "strategy", "valuation", "incident"))
    assert len(reader.pages) > papers
    assert SECRET_PHRASES["valuation"] in "\n".join(pdf_text(members.read_bytes()))

    public = tmp_path / "public.pdf"
    call_command("build_pack", str(meeting.pk), audience="public", output=str(public), stdout=out)
    text = "\n".join(pdf_text(public.read_bytes()))
    assert not any(p in text for p in SECRET_PHRASES.values())
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize(
    "meeting_id, audience, message",
    [
        ("99999", "public", "no meeting with id"),
        ("abc", "public", "no meeting with id"),
        (None, "everyone", "--audience must be"),
    ],
)
def test_bad_id_or_audience_exits_2_with_a_clear_message(
    world, tmp_path, capsys, meeting_id, audience, message
):
    mid = meeting_id or str(world["meeting"].pk)
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command(
            "build_pack", mid, audience=audience, output=str(tmp_path / "x.pdf"), stderr=err
        )
    assert exc.value.code == 2
    assert message in err.getvalue()
    assert not (tmp_path / "x.pdf").exists()


def test_the_command_line_itself_exits_2(world, tmp_path):
    import subprocess
    import sys

    from django.conf import settings

    result = subprocess.run(
        [sys.executable, "manage.py", "build_pack", "1", "--audience", "nobody", "--output", "x"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "--audience must be" in result.stderr
