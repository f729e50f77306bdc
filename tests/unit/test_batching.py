"""Batches are capped by files and by bytes: a batch's memory follows what it reads."""

from __future__ import annotations

import pytest

from transforms.pipeline import batched


@pytest.fixture
def files(tmp_path):
    sizes = [10, 10, 50, 10, 200, 10]
    out = []
    for i, n in enumerate(sizes):
        p = tmp_path / f"f{i}.csv"
        p.write_bytes(b"x" * n)
        out.append({"path": str(p)})
    return out


@pytest.mark.parametrize(
    ("max_files", "max_bytes", "expected"),
    [
        (1000, 10**6, [[0, 1, 2, 3, 4, 5]]),
        (2, 10**6, [[0, 1], [2, 3], [4, 5]]),
        (1000, 70, [[0, 1, 2], [3], [4], [5]]),  # 200 bytes alone: bigger than the cap, still a batch
        (1000, 20, [[0, 1], [2], [3], [4], [5]]),
    ],
)
def test_batches_close_on_files_or_bytes(files, max_files, max_bytes, expected):
    got = batched(files, max_files, max_bytes)
    assert [[files.index(f) for f in b] for b in got] == expected


def test_a_vanished_file_counts_as_empty(files, tmp_path):
    gone = {"path": str(tmp_path / "gone.csv")}
    assert batched([gone, *files[:2]], 1000, 20) == [[gone, *files[:2]]]


def test_duckdb_out_of_memory_fails_the_run_instead_of_rejecting_files():
    import duckdb

    from transforms.isolation import bisect

    alone = []

    def attempt(items):
        if len(items) > 1:
            raise ValueError("one bad file")  # isolated as usual
        raise duckdb.OutOfMemoryException("Out of Memory Error: failed to allocate")

    with pytest.raises(duckdb.OutOfMemoryException):
        bisect([{"file_name": "a"}, {"file_name": "b"}], attempt, lambda item, exc: alone.append(item))
    assert alone == []
