"""A validator's decision on one submission, taken in the Airflow UI (human in the loop).

Trigger manually with ``{"submission_id": "sub_..."}``. ``describe`` shows the submission as the
published warehouse has it (status, problems with fix hints, earlier decisions, Data Docs page);
``decide`` waits on Airflow's Required Actions page until a validator picks accept, reject or
reopen and writes a reason; ``record`` stores the choice through
``transforms.pipeline.record_decision``, the same code path as ``danvan review``, with the name of
who responded and the moment they did. A decision the rules refuse (accept on a file with errors,
reject on one that is not accepted, reopen with nothing to reopen) fails ``record`` with the reason
in Vietnamese and English. ``record`` emits ``danvan_recorded_submissions``, so the rollup follows.

Each run waits for a person, so runs of this DAG may wait side by side (one per submission).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.providers.standard.operators.hitl import HITLOperator
from airflow.sdk import Asset, Param, dag, task
from airflow.sdk.exceptions import AirflowFailException

from transforms.config import home

ROOT = str(home().root)
RECORDED = Asset(name="danvan_recorded_submissions")
OPTIONS = ["accept", "reject", "reopen"]


@dag(
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=16,
    params={
        "submission_id": Param(
            type="string", pattern="^sub_[0-9a-f]{16}$", description="mã lần nộp / submission id"
        )
    },
    doc_md=__doc__,
    tags=["danvan", "review"],
    default_args={"owner": "danvan", "retries": 1, "retry_delay": timedelta(seconds=10)},
)
def review_submissions():
    @task
    def describe(params=None) -> str:
        from transforms import pipeline

        return pipeline.review_brief(ROOT, params["submission_id"])

    decide = HITLOperator(
        task_id="decide",
        subject="Thẩm định / Review {{ params.submission_id }}",
        body="{{ ti.xcom_pull(task_ids='describe') }}",
        options=OPTIONS,
        # a default, because a task's params are validated when it starts; the form asks for a text
        params={"reason": Param(None, type=["null", "string"], minLength=3, title="Lý do / Reason")},
        response_timeout=timedelta(days=7),
    )

    @task(outlets=[RECORDED])
    def record(response: dict, params=None) -> dict:
        from transforms import pipeline, review

        try:
            return pipeline.record_review_response(ROOT, params["submission_id"], response)
        except review.DecisionRefused as refused:  # the rules said no: a retry would say no again
            raise AirflowFailException(str(refused)) from refused

    describe() >> decide
    record(decide.output)


review_submissions()
