"""The DAGs' own task functions, called in this process in the DAG's order, without Airflow's runtime.

`dag.test()` costs about 1.5-2 s a run on top of the work itself (the DAG written to the metadata
DB, a supervisor and several in-process API calls per task), and ~5 s more for the first run of a
process. The suite runs the real DAGs with `dag.test()` where Airflow's part is under test: one
smoke run per DAG (tests/dags/test_dag_integrity.py, tests/e2e/test_pipeline_dags.py, the review
DAG's human-in-the-loop form), the corpus of bad submissions, a task failing without retry (disk
full). Every other scenario calls the same task functions through `ingest` and `rollup` here:
parsed from the same DAG files by the same DagBag (`danvan.airflow_env.load_dag`), so the code is
exactly the DAG's, called in the order of its edges (tests/dags/test_dag_integrity.EXPECTED_EDGES),
each result through a JSON round trip as an XCom is. A task that raises raises here (dag.test would
mark the run failed). A task added to a DAG fails `_tasks` until it is called here too.
"""

from __future__ import annotations

import json
import os
import stat
import time
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from danvan.airflow_env import load_dag
from transforms.config import home
from transforms.intake import SETTLE_FLOOR_S

RUN_ID = "manual__dag_tasks"
INGEST_TASKS = ("plan", "archive", "validate", "load", "check_recorded", "notify", "publish", "announce")
ROLLUP_TASKS = ("build", "check", "publish")


def _tasks(dag_id: str, expected: tuple[str, ...]) -> dict[str, Any]:
    """task_id -> the task's python_callable, from the DAG as the scheduler parses it now (DAG
    files read DANVAN_HOME when parsed, so each call parses them again)."""
    dag = load_dag(dag_id)
    assert sorted(dag.task_dict) == sorted(expected), f"{dag_id} has tasks this helper does not call"
    return {task_id: t.python_callable for task_id, t in dag.task_dict.items()}


def _xcom(value: Any) -> Any:
    """What the next task receives: the value after a JSON round trip (XComs are JSON)."""
    return json.loads(json.dumps(value))


def settle(inbox: Path) -> None:
    """Date every regular file of the inbox SETTLE_FLOOR_S back, keeping their order, when one of
    them is younger than that: the tests drop files whole, and plan then takes them at once instead
    of after its 0.3 s second look (tests/unit/test_hostile_read.py tests it: a growing file is never
    claimed). Nothing is touched when an entry is dated in the future (the second look is its rule)."""
    now = time.time()
    found = [(p, p.lstat()) for p in inbox.rglob("*")] if inbox.is_dir() else []
    files = [(p, st) for p, st in found if stat.S_ISREG(st.st_mode)]
    ages = [now - st.st_mtime for _, st in found]
    if not files or min(ages) < 0 or min(now - st.st_mtime for _, st in files) >= SETTLE_FLOOR_S:
        return
    shift = int(SETTLE_FLOOR_S * 1e9)
    for p, st in files:
        os.utime(p, ns=(st.st_atime_ns - shift, st.st_mtime_ns - shift))


def ingest(conf: dict | None = None) -> dict[str, Any]:
    """One ingest run: each task's return value by task id (None for a task that did not run).
    ``conf`` as in ``dag_run.conf``; ``settle_seconds`` defaults to 0 here (files are dropped
    whole by the tests, and `settle` dates them so)."""
    call = _tasks("ingest_submissions", INGEST_TASKS)
    settle(home().inbox)
    run = SimpleNamespace(conf={"settle_seconds": 0, **(conf or {})})
    out: dict[str, Any] = dict.fromkeys(INGEST_TASKS)
    out["plan"] = _xcom(call["plan"](dag_run=run))
    out["archive"] = [_xcom(call["archive"](batch)) for batch in out["plan"]]  # mapped over batches
    out["validate"] = [
        _xcom(call["validate"](receipts, run_id=RUN_ID, ti=SimpleNamespace(map_index=n)))
        for n, receipts in enumerate(out["archive"])
    ]
    out["load"] = _xcom(call["load"](out["validate"]))
    out["check_recorded"] = _xcom(call["check_recorded"](out["load"]))
    out["notify"] = _xcom(call["notify"](out["load"]))
    if out["check_recorded"]:  # a short circuit: publish and announce run only when something was recorded
        out["publish"] = _xcom(call["publish"]())
        out["announce"] = _xcom(call["announce"](out["load"], outlet_events=defaultdict(SimpleNamespace)))
    return out


def rollup(run_type: str = "scheduled", conf: dict | None = None) -> str:
    """One rollup run (build, check, publish); returns the published path. ``run_type``: as Airflow
    says it (``scheduled``: the nightly full rebuild; ``manual``, ``asset_triggered``: what changed)."""
    call = _tasks("rollup_warehouse", ROLLUP_TASKS)
    built = _xcom(call["build"](dag_run=SimpleNamespace(run_type=run_type, conf=conf or {})))
    return _xcom(call["publish"](_xcom(call["check"](built))))
