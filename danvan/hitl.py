"""The review DAG's two forms (Airflow's human in the loop), built so that a bad answer cannot be given.

``ChooseSubmission`` lets a validator pick a file waiting for review from a list (no ``sub_...`` id
to copy); a run triggered with a ``submission_id`` skips the question. ``ReviewDecision`` offers
only the decisions the rules allow on that submission now (``transforms.review.allowed``, through
``pipeline.review_form``) and shows the sender, file, period and problems; its ``reason`` field is
required in the form. The API server refuses an option that was not offered (400), so a refused
decision never reaches ``record``.
"""

from __future__ import annotations

import re
from typing import Any

from airflow.providers.standard.operators.hitl import HITLOperator
from airflow.sdk.exceptions import AirflowSkipException

SUBMISSION_ID = re.compile(r"(sub_[0-9a-f]{16})$")


class ChooseSubmission(HITLOperator):
    """Returns the submission to review: ``params.submission_id`` when the run names one, else the
    one a validator picks among the files waiting (options computed when the task runs)."""

    def __init__(self, *, home_root: str, **kwargs: Any) -> None:
        kwargs.setdefault("options", ["?"])  # replaced by the waiting files when the task runs
        super().__init__(**kwargs)
        self.home_root = home_root

    def execute(self, context):
        given = (context["params"] or {}).get("submission_id")
        if given:
            return given
        from transforms import pipeline

        waiting = pipeline.review_queue(self.home_root)
        if not waiting:
            raise AirflowSkipException("Không có tệp nào chờ thẩm định / no file is waiting for review")
        self.options = waiting
        self.body = (
            "Chọn tệp cần thẩm định (mới nhất trước; tối đa 50) / pick the file to review (newest first, "
            'at most 50). Tệp khác / another file: trigger with `{"submission_id": "sub_..."}`.'
        )
        return super().execute(context)

    def validate_chosen_options(self, chosen_options: list[str]) -> None:
        # the options were computed at run time (the API server checked the answer against them)
        if len(chosen_options) != 1 or not SUBMISSION_ID.search(chosen_options[0]):
            raise ValueError(f"not one waiting file: {chosen_options}")

    def execute_complete(self, context, event: dict[str, Any]) -> str:
        answer = super().execute_complete(context, event)
        return SUBMISSION_ID.search(answer["chosen_options"][0]).group(1)


class ReviewDecision(HITLOperator):
    """accept / reject / reopen, restricted to what the rules allow (``form_task_id``'s result:
    ``pipeline.review_form``), with a reason the form requires."""

    def __init__(self, *, form_task_id: str, required: tuple[str, ...] = ("reason",), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.form_task_id = form_task_id
        self.required = required

    def execute(self, context):
        form = context["ti"].xcom_pull(task_ids=self.form_task_id)
        self.options = [o for o in self.options if o in form["allowed"]]
        self.subject, self.body = form["subject"], form["body"]
        return super().execute(context)

    @property
    def serialized_params(self) -> dict[str, dict[str, Any]]:
        """The form's fields: a required one has no null in its type (the UI then insists on a
        value); the task's own Param keeps a null default, because Airflow validates a task's params
        when it starts, before anyone has answered."""
        out = super().serialized_params
        for name in self.required:
            field = out[name]
            schema = dict(field["schema"])
            types = schema.get("type")
            if isinstance(types, list):
                kept = [t for t in types if t != "null"]
                schema["type"] = kept[0] if len(kept) == 1 else kept
            out[name] = {**field, "schema": schema, "value": None}
        return out
