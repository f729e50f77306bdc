"""Chase the senders who have not reported: every morning at 08:00 Asia/Ho_Chi_Minh.

For each period whose deadline has passed (within the last ``CHASE_WINDOW_DAYS``), a sender with no
accepted file gets one Vietnamese reminder in ``outbox/<sender_code>/`` (once per period: a ledger
remembers), and each province's officer gets that province's chase list (xlsx) in
``outbox/<province_code>/``. Who is expected, the deadline and what counts as sent come from the
``reporting_status`` mart of the published warehouse; "today" is the run's date in Hà Nội, never the
worker's clock. Rules and wording: ``transforms/chase.py``.

The same morning run publishes the report templates of every period that is open (started, not
past its deadline) into each expected sender's ``outbox/<sender_code>/``, once per period and
sender (``transforms/templates.py``: the units and the criteria layout); ``DANVAN_TEMPLATE_PROVINCES``
(comma-separated codes) limits it to some provinces.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import CronTriggerTimetable, dag, task

from transforms.config import home

ROOT = str(home().root)


@dag(
    schedule=CronTriggerTimetable("0 8 * * *", timezone="Asia/Ho_Chi_Minh"),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["danvan", "chase"],
    default_args={"owner": "danvan", "retries": 1, "retry_delay": timedelta(seconds=30)},
)
def chase_reports():
    @task
    def remind(dag_run=None) -> dict:
        from transforms import chase

        return chase.run(ROOT, as_of=chase.local_day(dag_run.run_after))

    @task
    def publish_templates(dag_run=None) -> dict:
        from transforms import chase, config, templates

        return templates.publish(ROOT, chase.local_day(dag_run.run_after), config.template_provinces())

    remind()
    publish_templates()


chase_reports()
