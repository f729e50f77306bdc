"""Every DAG file parses cleanly, cheaply, and has the shape the house rules and the runbook expect.

Parsing needs no metadata DB (DagBag.dags, not get_dag, which queries it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

DAGS_DIR = Path(__file__).resolve().parents[2] / "dags"
DAG_FILES = sorted(p for p in DAGS_DIR.glob("*.py") if not p.name.startswith("_"))
HEAVY = ("pandas", "duckdb", "great_expectations", "pyarrow", "openpyxl")

# task_id -> downstream task ids: a change here is a change to the pipeline, review it as such.
EXPECTED_EDGES = {
    "ingest_submissions": {
        "plan": ["archive"],
        "archive": ["validate"],
        "validate": ["load"],
        "load": ["announce", "check_recorded", "notify"],
        "check_recorded": ["announce"],
        "announce": [],
        "notify": [],
    },
    "rollup_warehouse": {
        "build": ["check"],
        "check": ["publish"],
        "publish": [],
    },
    "review_submissions": {
        "describe": ["decide"],
        "decide": ["record"],
        "record": [],
    },
}
EXPECTED_SCHEDULES = {  # (cron, timezone, asset the run also waits for)
    "ingest_submissions": ("*/10 * * * *", "Asia/Ho_Chi_Minh", "danvan_inbox"),
    "rollup_warehouse": ("0 1 * * *", "Asia/Ho_Chi_Minh", "danvan_recorded_submissions"),
    "review_submissions": None,  # manual: a validator triggers it for one submission
}
WAIT_FOR_PEOPLE = {"review_submissions"}  # runs wait for a human: several may run side by side


def _bag(path: Path):
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(path))


@pytest.fixture(scope="module", params=DAG_FILES, ids=lambda p: p.name)
def parsed(request):
    path = request.param
    bag = _bag(path)
    return path, bag


def test_every_dag_file_is_covered():
    assert sorted(p.stem for p in DAG_FILES) == sorted(EXPECTED_EDGES)


def test_imports_without_errors(parsed):
    path, bag = parsed
    assert bag.import_errors == {}
    assert list(bag.dags) == [path.stem], "one DAG per file, its id the file name"


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.name)
def test_parsing_does_not_import_heavy_libraries(path):
    code = (
        "import json, sys\n"
        "from airflow.dag_processing.dagbag import DagBag\n"
        f"bag = DagBag(dag_folder={str(path)!r})\n"
        "assert not bag.import_errors, bag.import_errors\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_documented_tagged_and_retried(parsed):
    path, bag = parsed
    dag = bag.dags[path.stem]
    assert dag.doc_md and dag.doc_md.strip()
    assert dag.tags
    assert dag.max_active_runs == 1 or path.stem in WAIT_FOR_PEOPLE
    assert dag.catchup is False
    for task in dag.tasks:
        assert task.retries >= 1, task.task_id
        assert task.retry_delay <= timedelta(minutes=1), task.task_id


def test_tasks_and_edges(parsed):
    path, bag = parsed
    dag = bag.dags[path.stem]
    edges = {t.task_id: sorted(t.downstream_task_ids) for t in dag.tasks}
    assert edges == EXPECTED_EDGES[path.stem]


def test_schedule(parsed):
    from airflow.sdk import AssetOrTimeSchedule, CronTriggerTimetable

    path, bag = parsed
    dag = bag.dags[path.stem]
    if EXPECTED_SCHEDULES[path.stem] is None:
        assert type(dag.timetable).__name__ == "NullTimetable"
        return
    cron, tz, asset_name = EXPECTED_SCHEDULES[path.stem]
    assert isinstance(dag.timetable, AssetOrTimeSchedule)
    assert isinstance(dag.timetable.timetable, CronTriggerTimetable)
    assert dag.timetable.timetable.expression == cron
    assert str(dag.timetable.timetable.timezone) == tz
    assert dag.timetable.asset_condition.name == asset_name


def test_inbox_asset_is_watched_by_the_inbox_trigger():
    from danvan.triggers import InboxFileTrigger
    from transforms.config import home

    dag = _bag(DAGS_DIR / "ingest_submissions.py").dags["ingest_submissions"]
    (watcher,) = dag.timetable.asset_condition.watchers
    assert watcher.name == "inbox_watcher"
    assert isinstance(watcher.trigger, InboxFileTrigger)
    h = home()
    assert (watcher.trigger.inbox, watcher.trigger.claimed_dir) == (str(h.inbox), str(h.claimed))


def test_ingest_survives_an_empty_expansion():
    # plan() returning [] skips the mapped tasks; load must still run, and a failed batch must fail it.
    dag = _bag(DAGS_DIR / "ingest_submissions.py").dags["ingest_submissions"]
    assert dag.task_dict["load"].trigger_rule == "none_failed"
    assert [o.name for o in dag.task_dict["announce"].outlets] == ["danvan_recorded_submissions"]


@pytest.mark.e2e
@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")  # inside dag.test (upstream)
def test_ingest_with_nothing_waiting_succeeds(danvan_home):
    # Airflow 3.3 marks a mapped task over [] SKIPPED; load (none_failed) must still run and the run succeed.
    from danvan.airflow_env import run_dag, task_result

    state, dag_run = run_dag("ingest_submissions", {"settle_seconds": 0})
    assert state == "success"
    states = {ti.task_id: ti.state for ti in dag_run.get_task_instances()}
    assert states == {
        "plan": "success",
        "archive": "skipped",
        "validate": "skipped",
        "load": "success",
        "check_recorded": "success",
        "announce": "skipped",
        "notify": "success",
    }
    assert task_result(dag_run, "load")["received"] == 0


def test_review_waits_for_a_human_and_records_through_the_one_code_path():
    from airflow.providers.standard.operators.hitl import HITLOperator

    dag = _bag(DAGS_DIR / "review_submissions.py").dags["review_submissions"]
    decide = dag.task_dict["decide"]
    assert isinstance(decide, HITLOperator)
    assert decide.options == ["accept", "reject", "reopen"]
    assert list(decide.params) == ["reason"]  # the DAG's submission_id is not a form field
    assert "submission_id" in dag.params
    assert [o.name for o in dag.task_dict["record"].outlets] == ["danvan_recorded_submissions"]
    source = (DAGS_DIR / "review_submissions.py").read_text(encoding="utf-8")
    assert source.count("pipeline.record_review_response(") == 1  # which calls pipeline.record_decision
