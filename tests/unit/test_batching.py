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


def write(path, text: str):
    path.write_bytes(text.encode())
    return {"path": str(path)}


HEADER = "period,unit_code,unit_name,a,b,c,d\n"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("wide.csv", HEADER + "2024S1,064,X,1,2,3,4\n2024S1,065,Y,1,,3,4\n", 8),  # 4 figures a line
        ("no_final_newline.csv", HEADER + "2024S1,064,X,1,2,3,4", 4),
        ("semicolons.csv", HEADER.replace(",", ";") + "2024S1;064;X;1;2;3;4\r\n", 4),
        ("old_mac.csv", HEADER.replace("\n", "\r") + "2024S1,064,X,1,2,3,4\r", 4),
        ("long.csv", "period,unit_code,indicator_code,value\n2024S1,064,a,1\n2024S1,064,b,2\n", 2),
        ("header_only.csv", HEADER, 0),
        ("wide.json", '[{"period":"2024S1","unit_code":"064","unit_name":"X","a":1,"b":2}]', 2),
        ("book.xlsx", "x" * 800, 100),  # compressed: from its size
    ],
)
def test_figures_are_estimated_from_the_bytes_without_parsing(tmp_path, name, text, expected):
    from transforms.pipeline import estimated_rows

    f = write(tmp_path / name, text)
    assert estimated_rows(f["path"], len(text.encode())) == expected


def test_batches_close_on_figures_too(tmp_path):
    # one-row files are mostly header: 3 of them hold 12 figures in 150 bytes
    files = [write(tmp_path / f"f{i}.csv", HEADER + "2024S1,064,X,1,2,3,4\n") for i in range(5)]
    got = batched(files, 1000, 10**6, max_rows=8)
    assert [[files.index(f) for f in b] for b in got] == [[0, 1], [2, 3], [4]]
    assert batched(files, 1000, 10**6) == [files]  # not counted: files and bytes only
