"""A validator's decision on one submission, taken in the Airflow UI (human in the loop).

Trigger it (no configuration needed): ``pick`` lists the files waiting for review (accepted with
warnings, no decision yet: sender, file, period, warnings) and the validator chooses one on the
Required Actions page; a run triggered with ``{"submission_id": "sub_..."}`` skips that question.
``describe`` reads the submission as the published warehouse has it (problems with fix hints,
earlier decisions, Data Docs page) and the decisions the rules allow on it now; ``decide`` waits
until a validator picks one of those (only those are offered: accept is not offered for a file
with errors, reject only for an accepted file, reopen only when a decision stands) and writes the
reason the form requires; ``record`` stores it through ``transforms.pipeline.record_decision``, the
same code path as ``danvan review``, with the name of who responded and the moment they did, and
emits ``danvan_recorded_submissions``, so the rollup follows. The forms are ``danvan/hitl.py``.

Each run waits for a person, so runs of this DAG may wait side by side (one per submission).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Asset, Param, dag, task
from airflow.sdk.exceptions import AirflowFailException

from danvan.hitl import ChooseSubmission, ReviewDecision
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
            None,
            type=["null", "string"],
            pattern="^sub_[0-9a-f]{16}$",
            description="mã lần nộp (để trống: chọn trong danh sách) / submission id (empty: pick from a list)",
        )
    },
    doc_md=__doc__,
    tags=["danvan", "review"],
    default_args={"owner": "danvan", "retries": 1, "retry_delay": timedelta(seconds=10)},
)
def review_submissions():
    pick = ChooseSubmission(
        task_id="pick",
        home_root=ROOT,
        subject="Chọn tệp cần thẩm định / Pick a file to review",
        response_timeout=timedelta(days=7),
    )

    @task
    def describe(submission_id: str) -> dict:
        from transforms import pipeline, review

        try:
            return pipeline.review_form(ROOT, submission_id)
        except review.DecisionRefused as refused:  # nothing the rules allow: no form to show
            raise AirflowFailException(str(refused)) from refused

    decide = ReviewDecision(
        task_id="decide",
        form_task_id="describe",
        subject="Thẩm định / Review",  # sender, file and period: from describe, when the task runs
        options=OPTIONS,
        # the task's Param may be null (params are validated when a task starts); the form requires it
        params={"reason": Param(None, type=["null", "string"], minLength=3, title="Lý do / Reason")},
        response_timeout=timedelta(days=7),
    )

    @task(outlets=[RECORDED])
    def record(response: dict, submission_id: str) -> dict:
        from transforms import pipeline, review

        try:
            return pipeline.record_review_response(ROOT, submission_id, response)
        except review.DecisionRefused as refused:  # the rules said no: a retry would say no again
            raise AirflowFailException(str(refused)) from refused

    describe(pick.output) >> decide
    record(decide.output, pick.output)


review_submissions()
