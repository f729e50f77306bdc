"""kill -9 of a real `danvan run` at several points, then one rerun: the warehouse is consistent
(the rollup's data tests pass), its totals are exact, every feedback workbook is there and nothing
is left claimed. Slow (two `danvan run` subprocesses a point, ~10-15 s each): marked `chaos`,
deselected by default, run by `make chaos`.

The kill is injected: ``DANVAN_CRASH_AT=<point>`` makes ``transforms.isolation.crash_point`` send
SIGKILL to its own process at that point (after archive, inside load's transaction, after load's
commit, before notify, inside the rollup between build and publish)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import duckdb
import pytest

from tests.e2e.test_bad_submissions import recs, table
from tests.unit.validation_cases import GOOD
from transforms.config import home
from transforms.feedback import feedback_paths
from transforms.warehouse import check

pytestmark = [pytest.mark.e2e, pytest.mark.chaos]

POINTS = ("after_archive", "inside_load", "after_load_commit", "before_notify", "inside_rollup")
FILES = {  # (sender, name): (builder, status, feedback expected)
    ("064", "064-cho-don.csv"): (table(recs(units=["02020", "02023", "064"]), "csv"), "accepted", False),
    ("058", "058-ghi-chu.csv"): (
        table([{**r, "ghi_chu": "x"} for r in recs(units=["01834", "058"])], "csv"),
        "accepted_with_warnings",
        True,
    ),
    ("060", "060-so-am.csv"): (
        table(recs(units=["01858"], u01858={"conferences_held": "-2"}), "csv"),
        "rejected",
        True,
    ),
}


def danvan_run(root, crash_at: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW") and k != "DANVAN_CRASH_AT"}
    env["DANVAN_HOME"] = str(root)
    if crash_at:
        env["DANVAN_CRASH_AT"] = crash_at
    return subprocess.run(
        [sys.executable, "-m", "danvan.cli", "run"], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize("point", POINTS)
def test_a_run_killed_at_any_point_is_made_whole_by_one_rerun(tmp_path, point):
    h = home(tmp_path / "danvan").ensure()
    for (sender, name), (build, _, _) in FILES.items():
        (h.inbox / sender).mkdir(parents=True, exist_ok=True)
        build(h.inbox / sender / name)

    killed = danvan_run(h.root, point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    rerun = danvan_run(h.root)
    assert rerun.returncode == 0, rerun.stderr[-2000:]

    check(h.warehouse_db.resolve())  # the rollup's data tests (raises on failure)
    con = duckdb.connect(str(h.warehouse_db), read_only=True)
    try:
        statuses = dict(
            ((s, n), st)
            for s, n, st in con.sql("select sender_code, file_name, status from submissions").fetchall()
        )
        held = con.sql(
            "select district_code, value from district_totals where period = '2024S1' "
            "and indicator_code = 'conferences_held' order by all"
        ).fetchall()
    finally:
        con.close()
    assert statuses == {key: status for key, (_, status, _) in FILES.items()}
    assert held == [("058", 2 * GOOD["conferences_held"]), ("064", 3 * GOOD["conferences_held"])]
    for (sender, name), (_, _, feedback) in FILES.items():
        assert all(p.exists() == feedback for p in feedback_paths(h.outbox, sender, name)), (sender, name)
    assert [p for p in h.claimed.rglob("*") if p.is_file()] == []
