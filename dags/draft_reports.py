"""Draft each province's six-month and annual dân vận report: every morning at 07:00
Asia/Ho_Chi_Minh (after the nightly rollup at 01:00).

For each half-year and year whose deadline has passed (within the last 90 days), each province with
figures gets its report drafted from the published warehouse into ``reports/<province>/<period>/``
(.docx in the 36-HD/VPTW format, annex .xlsx, offline .html, provenance sidecar), and drafted again
on a later morning only when late files changed what it says. "Today" is the run's date in Hà Nội,
never the worker's clock. Rules and wording: ``transforms/report.py``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import CronTriggerTimetable, dag, task

from transforms.config import home

ROOT = str(home().root)


@dag(
    schedule=CronTriggerTimetable("0 7 * * *", timezone="Asia/Ho_Chi_Minh"),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["danvan", "report"],
    default_args={"owner": "danvan", "retries": 1, "retry_delay": timedelta(seconds=30)},
)
def draft_reports():
    @task
    def draft(dag_run=None) -> dict:
        from transforms import chase, report

        return report.draft_due(ROOT, as_of=chase.local_day(dag_run.run_after))

    draft()


draft_reports()
