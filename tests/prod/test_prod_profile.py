"""The production profile for real (`make test-prod`, run by `.ci/run` after `make test`; not in `make test`).

Starts `danvan prod start` on a fresh home and free ports (PostgreSQL, Redis, CeleryExecutor with
2 workers, scheduler, dag-processor, triggerer, API server; as root it apt-gets what is missing),
moves a national half-year (772 files: 705 districts, 63 provinces, 4 bodies; 15 bad) into the inbox at once, waits until every
file has its verdict in the published warehouse, and checks each verdict, the marts, that `plan`
split the files into batches validated on both workers, and what the UI shows of the run (its
note, the asset event's counts). `danvan prod stop` runs whatever happens; nothing is left running.
Wall time here: 3 min 45 s on the shared 2-core machine (start ~50 s, the half-year ~70 s, stop ~15 s).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from transforms.config import home

pytestmark = pytest.mark.prod

DANVAN = str(Path(sys.executable).with_name("danvan"))
FILES, BAD = 772, 15
VERDICT_TIMEOUT_S = 420


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _danvan(env: dict, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [DANVAN, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _count(h, sql: str):
    import duckdb

    if not h.warehouse_db.exists():
        return None
    try:
        con = duckdb.connect(str(h.warehouse_db), read_only=True)
    except duckdb.Error:
        return None
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def profile():
    root = Path(tempfile.mkdtemp(prefix="danvan-prod-"))
    os.chmod(root, 0o755)  # PostgreSQL runs as `postgres`: it must reach prod/postgres under the home
    h = home(root).ensure()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "DANVAN"))}
    env["DANVAN_HOME"] = str(root)
    # The chase DAG's first run in a fresh home publishes every expected sender's template: for
    # the whole country that is ~3,500 workbooks, minutes of one of the two workers, which then
    # has no part of the half-year below (seen once in CI). One province's keep it short; the
    # publishing itself is tested in tests/e2e/test_templates.py.
    env["DANVAN_TEMPLATE_PROVINCES"] = "06"
    ports = {"--port": _free_port(), "--pg-port": _free_port(), "--redis-port": _free_port()}
    outcome = {"passed": False}
    try:
        started = _danvan(env, "prod", "start", *[str(x) for kv in ports.items() for x in kv])
        assert started.returncode == 0, started.stdout + started.stderr
        yield h, env, ports, outcome
    finally:
        stopped = _danvan(env, "prod", "stop", timeout=300)
        status = _danvan(env, "prod", "status")
        if outcome["passed"]:
            shutil.rmtree(root, ignore_errors=True)
        else:  # the servers are stopped; their logs and the task logs stay for a look
            print(f"kept {root} (logs: {root / 'prod' / 'logs'}, {root / 'logs' / 'airflow'})")
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
        assert "running" not in status.stdout, status.stdout


def test_national_half_year_through_the_production_profile(profile):
    from transforms.generate import national_submissions
    from transforms.warehouse import models

    h, env, ports, outcome = profile
    assert f"localhost:{ports['--port']}" in (h.root / "prod" / "airflow.env").read_text()
    # Written elsewhere on the same filesystem, then moved in: every file is complete when the
    # watcher sees it, as an upload under a temporary name and a rename would be.
    stage = Path(tempfile.mkdtemp(prefix="danvan-stage-", dir=h.root))
    made = national_submissions(stage, ["2024S1"])
    assert (len(made["files"]), len(made["bad_files"])) == (FILES, BAD)
    bad = {(p.parent.name, p.name) for p in map(Path, made["bad_files"])}
    for sender in stage.iterdir():
        sender.rename(h.inbox / sender.name)

    # Every warehouse a reader opens while the half-year flows in holds every model: a build
    # published half-made or empty (as once when the rollup and an ingest shared one build file)
    # fails here, not only in the totals below.
    every_model = sorted(m.relation for m in models())
    relations = (
        "select schema_name || '.' || table_name from duckdb_tables() union all"
        " select schema_name || '.' || view_name from duckdb_views() where not internal"
    )
    deadline = time.monotonic() + VERDICT_TIMEOUT_S
    while True:
        seen = _count(h, f"select count(*), list(r order by r) from ({relations}) t(r)")
        if seen is not None:
            missing = sorted(set(every_model) - set(seen[0][1] or []))
            assert not missing, f"a published warehouse without {missing}"
            if _count(h, "select count(*) from submissions")[0][0] >= FILES:
                break
        assert time.monotonic() < deadline, f"no verdict for every file after {VERDICT_TIMEOUT_S} s"
        time.sleep(2)

    verdicts = _count(h, "select sender_code, file_name, status from submissions")
    assert len(verdicts) == FILES
    for sender, name, status in verdicts:
        assert status == ("rejected" if (sender, name) in bad else "accepted"), (sender, name, status)
    # the totals (breakdown = 'total'): counts of activities apart from the amount in đồng
    counts, amount = "indicator_code <> 'funds_mobilised_vnd'", "indicator_code = 'funds_mobilised_vnd'"
    assert _count(
        h,
        "select count(*), count(distinct province_code), sum(value) filter (where " + counts + "),"
        " sum(value) filter (where " + amount + ") from province_totals where breakdown = 'total'",
    ) == [(1512, 63, 6802805, 487261800000)]
    assert _count(
        h,
        "select count(*), sum(value) filter (where "
        + counts
        + ") from commune_totals where breakdown = 'total'",
    ) == [(249936, 6658432)]

    # plan split the half-year into batches (DANVAN_BATCH_SIZE = 386 for 2 workers), and each
    # worker ran part of the work.
    logs = h.root / "prod" / "logs"
    for worker in ("worker-1", "worker-2"):
        assert "succeeded in" in (logs / f"{worker}.log").read_text(errors="replace"), worker
    # the run's note is written when the run ends, after its publish task made the verdicts visible
    deadline = time.monotonic() + 120
    while True:
        runs = _api(
            h, ports["--port"], "/api/v2/dags/ingest_submissions/dagRuns?order_by=-run_after&limit=20"
        )
        recorded = [r for r in runs["dag_runs"] if r.get("note") and "772" in r["note"]]
        if recorded or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert recorded, [r.get("note") for r in runs["dag_runs"]]
    assert "15" in recorded[0]["note"]
    tis = _api(
        h,
        ports["--port"],
        f"/api/v2/dags/ingest_submissions/dagRuns/{recorded[0]['dag_run_id']}/taskInstances?task_id=validate",
    )
    assert len([t for t in tis["task_instances"] if t["state"] == "success"]) == 2
    outcome["passed"] = True


def _api(h, port: int, path: str) -> dict:
    """GET on the public REST API as the admin (token from the simple auth manager's password)."""
    import urllib.request

    passwords = json.loads((h.airflow_home / "simple_auth_manager_passwords.json.generated").read_text())
    body = json.dumps({"username": "admin", "password": passwords["admin"]}).encode()
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/auth/token", body, {"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        token = json.loads(resp.read())["access_token"]
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())
