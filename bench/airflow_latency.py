"""Seconds from dropping a file into the inbox to its verdict in the published warehouse, under a
real Airflow (`danvan airflow`: scheduler, triggerer, dag-processor, API server), nobody typing.

    .venv/bin/python -m bench.airflow_latency [--drops 3] [--port 8095] [--profile dev|prod]
        [--seed-home HOME]

Starts Airflow on a fresh temporary DANVAN_HOME (``dev``: `danvan airflow`, SQLite and
LocalExecutor; ``prod``: `danvan prod start`, PostgreSQL, Redis and 2 Celery workers, on free
ports), waits for the inbox watcher, then drops the example report (schemas/examples/) under a new
name each time (a changed copy, so it is never a duplicate) and polls `submissions` until the file
appears; stops everything it started at the end. ``--seed-home``: the fresh home starts with that
home's raw layer and published warehouse (the bench's 16 national half-years), so the drops pay
what a loaded history costs. After the drops, where the time went: per task of the last drop's
runs, its wait (queued -> started) and its run (started -> ended), from Airflow's metadata DB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from transforms.config import PROJECT_ROOT, home

EXAMPLE = PROJECT_ROOT / "schemas" / "examples" / "064-bao-cao-dan-van-2024S1.csv"


def verdict(warehouse: Path, file_name: str) -> str | None:
    if not warehouse.exists():
        return None
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return None
    try:
        rows = con.execute("select status from submissions where file_name = ?", [file_name]).fetchall()
    finally:
        con.close()
    return rows[0][0] if rows else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drops", type=int, default=3)
    parser.add_argument("--port", type=int, default=8095)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for one verdict")
    parser.add_argument("--profile", choices=("dev", "prod"), default="dev")
    parser.add_argument("--seed-home", type=Path, help="start from this home's raw layer and warehouse")
    args = parser.parse_args(argv)
    root = tempfile.mkdtemp(prefix="danvan-af-")
    os.chmod(root, 0o755)  # prod: PostgreSQL runs as `postgres` and must reach prod/postgres
    h = home(root).ensure()
    if args.seed_home:
        seed(home(args.seed_home), h)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")} | {"DANVAN_HOME": str(h.root)}
    danvan = str(Path(sys.executable).with_name("danvan"))
    log = (h.root / "airflow.log").open("w")
    if args.profile == "prod":
        ports = [str(free_port()) for _ in range(2)]
        command = [
            danvan,
            "prod",
            "start",
            "--port",
            str(args.port),
            "--pg-port",
            ports[0],
            "--redis-port",
            ports[1],
        ]
        watcher_log = h.root / "prod" / "logs" / "triggerer.log"
    else:
        command, watcher_log = [danvan, "airflow", "--port", str(args.port)], h.root / "airflow.log"
    proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    timings = []
    try:
        deadline = time.monotonic() + 300
        while not watcher_log.exists() or "trigger ID" not in watcher_log.read_text(errors="replace"):
            if time.monotonic() > deadline or (proc.poll() not in (None, 0)):
                print(
                    f"Airflow did not start its inbox watcher; see {h.root / 'airflow.log'}", file=sys.stderr
                )
                return 1
            time.sleep(1)
        time.sleep(15)  # let the catch-up runs of a fresh scheduler finish first
        lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
        for n in range(1, args.drops + 1):
            name = f"lan-{n}.csv"
            changed = [*lines[:-1], lines[-1].rsplit(",", 1)[0] + f",{n}"]  # a new figure: never a duplicate
            (h.inbox / "064").mkdir(parents=True, exist_ok=True)
            start = time.monotonic()
            (h.inbox / "064" / name).write_text("\n".join(changed) + "\n", encoding="utf-8")
            while (status := verdict(h.warehouse_db, name)) is None:
                if time.monotonic() - start > args.timeout:
                    print(f"{name}: no verdict after {args.timeout:.0f} s", file=sys.stderr)
                    return 1
                time.sleep(0.5)
            timings.append(time.monotonic() - start)
            print(f"{name}: {timings[-1]:.1f} s -> {status}", flush=True)
        print(
            f"drop -> verdict in the published warehouse: median {statistics.median(timings):.1f} s "
            f"over {len(timings)} drops"
        )
        if args.profile == "dev":
            for line in task_times(h.airflow_home / "airflow.db"):
                print(line)
        return 0
    finally:
        if args.profile == "prod":
            subprocess.run(
                [danvan, "prod", "stop"], env=env, stdout=log, stderr=subprocess.STDOUT, check=False
            )
        else:
            stop_group(proc)
        log.close()
        shutil.rmtree(h.root, ignore_errors=True)


def seed(source, target) -> None:
    """``target`` starts with ``source``'s raw layer and published warehouse (a plain file)."""
    shutil.copyfile(source.pipeline_db, target.pipeline_db)
    if source.warehouse_db.exists():
        shutil.copyfile(source.warehouse_db.resolve(), target.warehouse_db)
    if source.extra_units.exists():
        target.extra_units.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source.extra_units, target.extra_units)


def task_times(airflow_db: Path) -> list[str]:
    """Where the last drop's time went: each task of the latest ingest run and of the rollup run
    it triggered, its wait in the queue and its run, in seconds (Airflow's metadata DB, SQLite)."""
    import sqlite3

    con = sqlite3.connect(airflow_db)
    try:
        rows = con.execute(
            "select ti.dag_id, ti.task_id, ti.map_index, ti.queued_dttm, ti.start_date, ti.end_date "
            "from task_instance ti where ti.run_id in (select run_id from dag_run dr "
            "where dr.dag_id = ti.dag_id order by dr.id desc limit 1) order by ti.start_date"
        ).fetchall()
    finally:
        con.close()
    from datetime import datetime

    def at(value):
        return datetime.fromisoformat(value) if value else None

    lines = ["task (latest run of each DAG)       wait s   run s"]
    for dag_id, task_id, map_index, queued, started, ended in rows:
        q, s, e = at(queued), at(started), at(ended)
        wait = f"{(s - q).total_seconds():6.2f}" if q and s else "     -"
        run = f"{(e - s).total_seconds():6.2f}" if s and e else "     -"
        name = f"{dag_id}.{task_id}" + (f"[{map_index}]" if map_index >= 0 else "")
        lines.append(f"{name:<34} {wait}  {run}")
    return lines


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_group(proc: subprocess.Popen, grace_s: float = 30.0) -> None:
    """SIGTERM to Airflow's whole process group, then SIGKILL to whatever is left after the grace:
    `airflow standalone` may exit before its API server and scheduler children have."""
    os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        proc.poll()
        try:
            os.killpg(proc.pid, 0)  # is any process of the group still there?
        except ProcessLookupError:
            return
        time.sleep(0.5)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


if __name__ == "__main__":
    sys.exit(main())
