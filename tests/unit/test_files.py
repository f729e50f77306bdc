"""transforms/files.py: a file is written whole or not at all, whoever else writes it."""

from __future__ import annotations

import stat
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from transforms.files import write_atomically, write_text_atomically


def test_two_writers_of_one_path_at_once_each_finish_and_one_whole_file_stays(tmp_path):
    """Both are inside their write at the same moment: with a shared temp name the second rename
    found nothing to rename (or renamed the other's half-written file into place)."""
    path = tmp_path / "a.feedback.xlsx"
    both_writing = threading.Barrier(2, timeout=10)

    def writer(text: str):
        def write(tmp):
            tmp.write_text(text[:3], encoding="utf-8")
            both_writing.wait()
            tmp.write_text(text, encoding="utf-8")

        return write_atomically(path, write)

    with ThreadPoolExecutor(2) as pool:
        done = list(pool.map(writer, ["first writer", "second writer"]))
    assert done == [path, path]
    assert path.read_text(encoding="utf-8") in ("first writer", "second writer")
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp file left
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_write_that_fails_leaves_the_old_file_and_no_temp(tmp_path, error):
    path = write_text_atomically(tmp_path / "ledger.json", "old")

    def failing(tmp):
        tmp.write_text("half", encoding="utf-8")
        raise error

    with pytest.raises(type(error)):
        write_atomically(path, failing)
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["ledger.json"]
