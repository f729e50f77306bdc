"""Issue 8, the pipeline half, in small pieces: the analysts' side cannot be wedged or used as a
way out, one run at a time, feedback names, isolation by bisection."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from danvan.cli import _disk_full, main
from transforms import isolation
from transforms.config import home
from transforms.feedback import _safe_name, feedback_paths
from transforms.locks import try_exclusive
from transforms.warehouse import build, publish


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A home with an (empty) warehouse published."""
    h = home(tmp_path_factory.mktemp("wh") / "danvan").ensure()
    publish(build(h.pipeline_db, h.root / "warehouse.building.duckdb"), h.warehouse_db)
    return h


def sql(h, query, capsys):
    rc = main(["--home", str(h.root), "sql", query, "--csv"])
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.mark.parametrize(
    ("query", "refused"),
    [
        ("copy (select 1) to '{out}'", "file system operations are disabled"),
        ("select * from read_csv('/etc/passwd')", "file system operations are disabled"),
        ("select * from read_text('/etc/passwd')", "file system operations are disabled"),
        ("attach '{db}' as other", "file system operations are disabled"),
        ("install httpfs", "file system operations are disabled"),
        ("load httpfs", "disabled"),
        ("set enable_external_access = true", "configuration has been locked"),
        ("create table x (y int)", "read-only"),
    ],
)
def test_danvan_sql_reads_the_warehouse_and_nothing_else(published, capsys, tmp_path, query, refused):
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    rc, out, err = sql(published, query.format(out=tmp_path / "x.csv", db=other), capsys)
    assert rc == 1 and refused in err, err
    assert not (tmp_path / "x.csv").exists()


def test_danvan_sql_still_answers_a_query(published, capsys):
    rc, out, err = sql(published, "select count(*) as n from province_totals", capsys)
    assert (rc, out, err) == (0, "n\n0\n", "")


def test_a_wal_left_by_a_killed_read_write_session_does_not_lock_readers_out(tmp_path, capsys):
    h = home(tmp_path / "danvan").ensure()
    built = build(h.pipeline_db, tmp_path / "built.duckdb")  # what publish is given, built once

    def fresh(root: Path) -> Path:  # a build's file as publish receives it (nothing else has it open)
        return Path(shutil.copy(built, root / "warehouse.building.duckdb"))

    publish(fresh(h.root), h.warehouse_db)
    session = (  # someone opens the warehouse read-write, changes it, and the session dies
        "import duckdb, os, signal; c = duckdb.connect(os.environ['W']); "
        "c.execute('create table mine as select 1 as x'); c.execute('insert into mine values (2)'); "
        "os.kill(os.getpid(), signal.SIGKILL)"
    )
    subprocess.run([sys.executable, "-c", session], env={**os.environ, "W": str(h.warehouse_db)}, check=False)
    assert list((h.root / "warehouse.builds").glob("*.wal"))  # the stale log is there
    publish(fresh(h.root), h.warehouse_db)
    rc, out, err = sql(h, "select count(*) as n from submissions", capsys)
    assert (rc, out, err) == (0, "n\n0\n", "")
    current = h.warehouse_db.resolve()
    assert not (current.parent / f"{current.name}.wal").exists()  # a new file per build: no WAL applies
    publish(fresh(h.root), h.warehouse_db)
    assert list((h.root / "warehouse.builds").glob("*.wal")) == []  # gone with its build
    assert len(list((h.root / "warehouse.builds").iterdir())) == 2  # this build and the one before
    # an older installation's plain file and the WAL beside it are replaced the same way
    plain = home(tmp_path / "old").ensure()
    duckdb.connect(str(plain.warehouse_db)).close()
    (plain.root / "warehouse.duckdb.wal").write_bytes(b"not a wal")
    publish(fresh(plain.root), plain.warehouse_db)
    assert not (plain.root / "warehouse.duckdb.wal").exists()
    assert sql(plain, "select count(*) as n from submissions", capsys)[0] == 0


def test_a_second_danvan_run_on_the_same_home_exits_with_a_message(tmp_path, capsys):
    h = home(tmp_path / "danvan").ensure()
    with try_exclusive(h.run_lock) as holder:
        assert holder is None
        assert main(["--home", str(h.root), "run"]) == 3
    err = capsys.readouterr().err
    assert f"another `danvan run` (pid {os.getpid()}) is processing {h.root}" in err


@pytest.mark.parametrize("served_by", ["prod", "standalone"])
def test_danvan_run_on_a_home_an_airflow_serves_exits_with_a_message(tmp_path, capsys, served_by):
    """Its DAGs take up the inbox and roll up: `danvan run`'s in-process runs beside them once
    planned the same claimed files (an accepted file also got a rejection) and built into the
    rollup's file. A pid file whose process is gone, or now another program, serves nothing."""
    from danvan import prod

    h = home(tmp_path / "danvan").ensure()
    pidfile = (
        prod.prod_dir(h) / "pids" / "scheduler.pid" if served_by == "prod" else prod.standalone_pidfile(h)
    )
    pidfile.parent.mkdir(parents=True, exist_ok=True)
    # "airflow" in its command line, as `airflow scheduler` and `airflow standalone` have
    code = "import time; time.sleep(60)"
    with subprocess.Popen([sys.executable, "-c", code, "airflow"]) as proc:
        try:
            pidfile.write_text(f"{proc.pid}\n")
            assert main(["--home", str(h.root), "run"]) == 3
            assert f"error: Airflow serves {h.root}: " in capsys.readouterr().err
            assert f"(pid {proc.pid}; " in prod.serving(h)
        finally:
            proc.kill()
    assert prod.serving(h) is None  # gone
    with subprocess.Popen([sys.executable, "-c", code]) as other:
        try:
            pidfile.write_text(f"{other.pid}\n")  # a live pid, no "airflow" in its command line
            assert prod.serving(h) is None
        finally:
            other.kill()


def test_a_full_disk_is_reported_in_one_line(tmp_path):
    log = tmp_path / "run.log"
    log.write_text("old DANVAN_DISK_FULL: from an earlier run\n", encoding="utf-8")
    start = log.stat().st_size
    with log.open("a", encoding="utf-8") as fh:
        fh.write(f"Traceback ...\n{isolation.DiskFull('writing feedback')!s} [task]\nmore\n")
    assert _disk_full(log, start).startswith("no space left on the device while writing feedback.")
    assert _disk_full(log, log.stat().st_size) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("064", "064"),
        ("Chợ Đồn báo cáo", "Chợ Đồn báo cáo"),  # readable names are kept as they are
        ("064 ", "064~"),
        ("064.", "064~"),
        ("..", "_~"),
        ("a/b", "a_b~"),
        ("bao\ncao", "bao_cao~"),
        ("b\udce1o", "b_o~"),  # a byte that is not UTF-8
        ("x" * 300, "x" * 120 + "~"),
        ("đ" * 200, "đ" * 60 + "~"),  # capped in bytes, never inside a character
    ],
)
def test_feedback_names_are_safe_readable_capped_and_one_to_one(name, expected):
    safe = _safe_name(name)
    assert (
        safe == expected
        if not expected.endswith("~")
        else safe.startswith(expected) and len(safe) == len(expected) + 8
    )
    assert len(safe.encode()) <= 129 and "/" not in safe and "\n" not in safe
    safe.encode("utf-8")


def test_sender_folders_that_differ_by_a_space_or_a_dot_never_share_an_outbox(tmp_path):
    folders = {feedback_paths(tmp_path, s, "bao-cao.csv")[0].parent for s in ("064", "064 ", "064.", " 064")}
    assert len(folders) == 4


def test_bisect_isolates_each_bad_item_and_keeps_the_order():
    calls = []

    def attempt(items):
        calls.append(len(items))
        if any(i["bad"] for i in items):
            raise ValueError("bad")
        return [i["n"] for i in items]

    items = [{"n": n, "bad": n in (3, 4, 9), "file_name": str(n)} for n in range(16)]
    out = isolation.bisect(items, attempt, lambda item, exc: ("alone", item["n"], isolation.error_class(exc)))
    flat = [x for part in out for x in (part if isinstance(part, list) else [part])]
    assert flat == [
        0,
        1,
        2,
        ("alone", 3, "ValueError"),
        ("alone", 4, "ValueError"),
        5,
        6,
        7,
        8,
        ("alone", 9, "ValueError"),
        10,
        11,
        12,
        13,
        14,
        15,
    ]
    assert len(calls) <= 2 * 3 * 4 + 1  # about 2 log2(n) per bad item, not n


def test_bisect_never_absorbs_a_full_disk():
    def attempt(items):
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        isolation.bisect([{"file_name": "a"}, {"file_name": "b"}], attempt, lambda i, e: None)


def test_a_full_disk_while_archiving_stops_with_disk_full_and_the_file_stays_claimed(tmp_path, monkeypatch):
    from transforms import intake, pipeline

    h = home(tmp_path / "danvan").ensure()
    (h.inbox / "064").mkdir()
    (h.inbox / "064" / "a.csv").write_text("period,unit_code\n2024S1,02020\n", encoding="utf-8")
    [batch] = pipeline.plan(str(h.root), [], settle_seconds=0, now=2e9)

    def full(fd, dst):
        with open(dst, "wb") as fh:
            fh.write(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(intake, "_copy_fd", full)
    with pytest.raises(
        isolation.DiskFull, match="DANVAN_DISK_FULL: no space left on the device while archiving 'a.csv'"
    ):
        pipeline.archive_batch(str(h.root), batch)
    assert [c.file_name for c in intake.list_claimed(h.claimed)] == ["a.csv"]
    assert [p for p in h.archive.rglob("*") if p.is_file()] == []  # no half-written copy either
    assert not h.quarantine.exists()
