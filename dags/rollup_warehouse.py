"""Roll accepted reports up into the published DuckDB warehouse that analysts query.

Runs nightly at 01:00 Asia/Ho_Chi_Minh: every mart is rebuilt from the raw layer into a new file,
tested, and only then swapped in atomically, so a reader never sees a half-built or failing
warehouse. Also after any run that recorded something (asset ``danvan_recorded_submissions``: an
ingest, which has published its own changes already, or a validator's decision) and when
triggered by hand: those publish only what changed (``build`` does it, built apart and tested;
``{"full": true}`` rebuilds everything).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Asset, AssetOrTimeSchedule, CronTriggerTimetable, dag, task

from transforms.config import home

ROOT = str(home().root)


@dag(
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable("0 1 * * *", timezone="Asia/Ho_Chi_Minh"),
        assets=Asset(name="danvan_recorded_submissions"),
    ),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["danvan", "warehouse"],
    default_args={"owner": "danvan", "retries": 1, "retry_delay": timedelta(seconds=10)},
)
def rollup_warehouse():
    @task
    def build(dag_run=None) -> str:
        from transforms import pipeline

        return pipeline.build_warehouse(
            ROOT, incremental=not pipeline.is_nightly(dag_run.run_type, dag_run.conf)
        )

    @task
    def check(path: str) -> str:
        from transforms import pipeline

        pipeline.check_warehouse(path)
        return path

    @task
    def publish(path: str) -> str:
        from transforms import pipeline

        return pipeline.publish_warehouse(ROOT, path)

    publish(check(build()))


rollup_warehouse()
