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

from tests.helpers import dag_test

DAGS_DIR = Path(__file__).resolve().parents[2] / "dags"
DAG_FILES = sorted(p for p in DAGS_DIR.glob("*.py") if not p.name.startswith("_"))
HEAVY = ("pandas", "duckdb", "great_expectations", "pyarrow", "openpyxl", "matplotlib", "docx")

# task_id -> downstream task ids: a change here is a change to the pipeline, review it as such.
EXPECTED_EDGES = {
    "ingest_submissions": {
        "plan": ["archive"],
        "archive": ["validate"],
        "validate": ["load"],
        "load": ["announce", "check_recorded", "notify"],
        "check_recorded": ["publish"],
        "notify": ["publish"],
        "publish": ["announce"],
        "announce": [],
    },
    "rollup_warehouse": {
        "build": ["check"],
        "check": ["publish"],
        "publish": [],
    },
    "chase_reports": {
        "remind": [],
        "publish_templates": [],
    },
    "draft_reports": {
        "draft": [],
    },
    "review_submissions": {
        "pick": ["describe", "record"],
        "describe": ["decide"],
        "decide": ["record"],
        "record": [],
    },
}
EXPECTED_SCHEDULES = {  # (cron, timezone, asset the run also waits for)
    "ingest_submissions": ("*/10 * * * *", "Asia/Ho_Chi_Minh", "danvan_inbox"),
    "rollup_warehouse": ("0 1 * * *", "Asia/Ho_Chi_Minh", "danvan_recorded_submissions"),
    "chase_reports": ("0 8 * * *", "Asia/Ho_Chi_Minh", None),
    "draft_reports": ("0 7 * * *", "Asia/Ho_Chi_Minh", None),
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


@pytest.fixture(scope="module")
def heavy_imports_by_file(tmp_path_factory) -> dict[str, list[str]]:
    """Parse every DAG file, one after another, in one fresh interpreter (like the dag-processor: a
    process that imported nothing yet); for each, the heavy modules its parsing brought in. A file
    that imports pandas at top level goes last, to prove the check can fail."""
    bad = tmp_path_factory.mktemp("dags") / "bad_dag.py"
    # the words "airflow" and "dag": DagBag safe mode skips files without them
    bad.write_text("import pandas  # noqa: F401  (an airflow dag file)\n", encoding="utf-8")
    code = (
        "import json, sys\n"
        "from airflow.dag_processing.dagbag import DagBag\n"
        f"heavy, out = {HEAVY!r}, {{}}\n"
        f"for path in {[*map(str, DAG_FILES), str(bad)]!r}:\n"
        "    before = {m for m in heavy if m in sys.modules}\n"
        "    bag = DagBag(dag_folder=path)\n"
        "    out[path] = {'new': sorted(m for m in heavy if m in sys.modules and m not in before),\n"
        "                 'errors': len(bag.import_errors)}\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert "pandas" in out.pop(str(bad))["new"], "the heavy-import check cannot fail"
    return out


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.name)
def test_parsing_does_not_import_heavy_libraries(heavy_imports_by_file, path):
    assert heavy_imports_by_file[str(path)] == {"new": [], "errors": 0}


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
    if asset_name is None:  # time only
        timetable = dag.timetable
    else:
        assert isinstance(dag.timetable, AssetOrTimeSchedule)
        assert dag.timetable.asset_condition.name == asset_name
        timetable = dag.timetable.timetable
    assert isinstance(timetable, CronTriggerTimetable)
    assert timetable.expression == cron
    assert str(timetable.timezone) == tz


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
@dag_test
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
        "notify": "success",
        "publish": "skipped",  # nothing recorded: nothing to publish
        "announce": "skipped",
    }
    assert task_result(dag_run, "load")["received"] == 0


def test_review_waits_for_a_human_and_records_through_the_one_code_path():
    from airflow.providers.standard.operators.hitl import HITLOperator

    dag = _bag(DAGS_DIR / "review_submissions.py").dags["review_submissions"]
    decide = dag.task_dict["decide"]
    assert isinstance(decide, HITLOperator) and isinstance(dag.task_dict["pick"], HITLOperator)
    assert decide.options == ["accept", "reject", "reopen"]  # narrowed to the allowed ones at run time
    assert list(decide.params) == ["reason"]  # the DAG's submission_id is not a form field
    assert decide.serialized_params["reason"]["schema"]["type"] == "string"  # required in the form
    assert dag.params["submission_id"] is None  # optional: pick lists the files waiting
    assert [o.name for o in dag.task_dict["record"].outlets] == ["danvan_recorded_submissions"]


def test_review_record_goes_through_record_decision_and_a_refusal_fails_without_retry(monkeypatch):
    """``record`` hands the form's answer to pipeline.record_decision (the CLI's code path), and a
    decision the rules refuse fails the task for good (a retry would be refused again)."""
    from airflow.sdk.exceptions import AirflowFailException

    from transforms import pipeline, review

    calls = []
    monkeypatch.setattr(pipeline, "record_decision", lambda *a, **k: calls.append(a) or {"ok": True})
    record = _bag(DAGS_DIR / "review_submissions.py").dags["review_submissions"].task_dict["record"]
    response = {
        "chosen_options": ["reject"],
        "params_input": {"reason": "Số liệu sai"},
        "responded_by_user": {"id": "7", "name": "Nguyễn Thị Lan"},
        "responded_at": "2026-12-01T08:00:00+07:00",
    }
    assert record.python_callable(response, "sub_0123456789abcdef") == {"ok": True}
    (args,) = calls
    assert args[1:] == (
        "sub_0123456789abcdef",
        "reject",
        "Số liệu sai",
        "Nguyễn Thị Lan",
        "2026-12-01T08:00:00+07:00",
    )

    def refuse(*a, **k):
        raise review.DecisionRefused("không", "no")

    monkeypatch.setattr(pipeline, "record_decision", refuse)
    with pytest.raises(AirflowFailException, match="không"):
        record.python_callable(response, "sub_0123456789abcdef")
