"""The private store on disk: a name is written once, never over a file already there, even when
two processes save the same name at once (decision notices are named by their content)."""

from __future__ import annotations

import threading

import pytest

from icp_secretariat.lib import files


def test_a_name_is_written_once_and_a_second_save_is_refused(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    files.save("notices/a.pdf", b"%PDF-1.7 first")
    with pytest.raises(FileExistsError):
        files.save("notices/a.pdf", b"%PDF-1.7 second")
    assert files.read_bytes("notices/a.pdf") == b"%PDF-1.7 first"
    assert files.exists("notices/a.pdf") and not files.exists("notices/b.pdf")
    assert [p.name for p in (tmp_path / "notices").iterdir()] == ["a.pdf"]


def test_saves_of_one_name_at_once_leave_one_whole_file_and_no_part_file(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    data = {n: bytes([65 + n]) * (4 << 20) for n in range(4)}  # big enough to overlap
    outcomes: list[object] = []
    start = threading.Barrier(len(data))

    def save(n: int) -> None:
        start.wait()
        try:
            outcomes.append(files.save("notices/same.pdf", data[n]))
        except FileExistsError as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=save, args=(n,)) for n in data]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("notices/same.pdf") == 1
    assert sum(isinstance(o, FileExistsError) for o in outcomes) == len(data) - 1
    assert files.read_bytes("notices/same.pdf") in data.values()  # one writer's whole bytes
    assert [p.name for p in (tmp_path / "notices").iterdir()] == ["same.pdf"]
