"""Ingest district submissions: claim, archive, validate and load every file waiting in the inbox.

Runs when the inbox watcher claims a file, and every 10 minutes (Asia/Ho_Chi_Minh) as a safety
net: Airflow 3.3 can leave an asset event that arrives during a run unconsumed (apache/airflow#56050),
and the run's work list is ``claimed/``, not the events, so a sweep picks up anything stranded.

Files are validated in batches, not one task per file: a national half-year is ~700 files and
importing Great Expectations costs ~3 s per task process. A run with nothing waiting succeeds with
the mapped tasks skipped. ``notify`` writes each rejected or warned sender's feedback workbook
into ``outbox/<sender_code>/``. When the run recorded any file (accepted or not: the
``submissions`` and ``submission_issues`` marts change either way), ``publish`` republishes the
warehouse with only what changed (the periods the run touched, rebuilt apart, tested and swapped
in: transforms/incremental.py; a full build the first time), then ``announce`` emits
``danvan_recorded_submissions`` (``rollup_warehouse`` follows and finds nothing left to do; the
nightly rollup rebuilds everything).

Manual runs: ``{"files": ["/path/a.csv" | {"path": ..., "sender_code": ...}], "settle_seconds": 0,
"batch_size": 4000, "arrival_from_mtime": false}``; every key is optional (``arrival_from_mtime``:
simulations only, received_at from each inbox file's mtime: ``danvan run --arrival-from-mtime``).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from airflow.sdk import Asset, AssetOrTimeSchedule, AssetWatcher, CronTriggerTimetable, TriggerRule, dag, task

from danvan.airflow_env import fail_fast_when_disk_full
from danvan.triggers import InboxFileTrigger
from transforms.config import home

HOME = home()
ROOT = str(HOME.root)

INBOX = Asset(
    name="danvan_inbox",
    watchers=[
        AssetWatcher(
            name="inbox_watcher",
            trigger=InboxFileTrigger(inbox=str(HOME.inbox), claimed_dir=str(HOME.claimed)),
        )
    ],
)
RECORDED = Asset(name="danvan_recorded_submissions")


@dag(
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable("*/10 * * * *", timezone="Asia/Ho_Chi_Minh"), assets=INBOX
    ),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["danvan", "ingest"],
    default_args={"owner": "danvan", "retries": 1, "retry_delay": timedelta(seconds=10)},
)
def ingest_submissions():
    @task
    def plan(dag_run=None) -> list[list[dict]]:
        from transforms import pipeline

        conf = dag_run.conf or {}
        return pipeline.plan(
            ROOT,
            conf.get("files", []),
            settle_seconds=float(conf.get("settle_seconds", 2.0)),
            now=time.time(),
            batch_size=conf.get("batch_size"),  # default: DANVAN_BATCH_SIZE, else 4000
            arrival_from_mtime=bool(conf.get("arrival_from_mtime", False)),  # simulations only
        )

    @task
    def archive(batch: list[dict]) -> list[dict]:
        from transforms import pipeline

        with fail_fast_when_disk_full():  # no retry: a full disk is not passing trouble
            return pipeline.archive_batch(ROOT, batch)

    @task
    def validate(receipts: list[dict], run_id=None, ti=None) -> str:
        from transforms import pipeline

        with fail_fast_when_disk_full():
            return pipeline.validate_batch(ROOT, receipts, run_key=f"{run_id}.{ti.map_index}")

    # NONE_FAILED: an empty expansion skips archive/validate, and load must still run (and record
    # nothing) so that the run ends in success; a failed batch still fails load and the run.
    @task(trigger_rule=TriggerRule.NONE_FAILED)
    def load(artefacts: list[str]) -> dict:
        from transforms import pipeline

        with fail_fast_when_disk_full():
            return pipeline.load(ROOT, artefacts[:])  # one slice request, not one per item

    @task.short_circuit
    def check_recorded(summary: dict) -> bool:
        return summary["received"] > 0

    @task
    def publish() -> dict:
        from transforms import pipeline

        return pipeline.publish_changes(ROOT)  # only the periods it touched (a full build the first time)

    @task(outlets=[RECORDED])
    def announce(summary: dict, outlet_events=None) -> int:
        from transforms.runlog import counts

        outlet_events[RECORDED].extra = counts(summary)  # every verdict, warned files too
        return summary["received"]

    @task
    def notify(summary: dict) -> dict:
        from transforms import pipeline

        with fail_fast_when_disk_full():
            return pipeline.notify(ROOT, summary)

    summary = load(validate.expand(receipts=archive.expand(batch=plan())))
    published = publish()
    [check_recorded(summary), notify(summary)] >> published >> announce(summary)


ingest_submissions()
