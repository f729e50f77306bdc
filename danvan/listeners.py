"""Airflow listeners: the note on each ingest run says what the run did (shown in the grid).

A run that rejected four files is all green in the grid; its note (Markdown, next to the run)
gives the verdict counts and the files that need attention, from the ``load`` task's result, and
an empty 10-minute sweep says so in one line. Dag-run listeners run in the scheduler (or in
``dag.test`` for ``danvan run``), on the run's own database row, so no credentials are needed:
the same as setting the note with ``PATCH /api/v2/dags/{dag_id}/dagRuns/{run_id}``. Registered by
the ``airflow.plugins`` entry point (pyproject.toml) through :class:`danvan.plugin.DanvanPlugin`.
"""

from __future__ import annotations

import logging

from airflow.listeners import hookimpl

INGEST_DAG = "ingest_submissions"
log = logging.getLogger(__name__)


def _load_result(dag_run):
    from airflow.models.xcom import XComModel
    from sqlalchemy.orm import object_session

    session = object_session(dag_run)
    if session is None:
        return None
    row = session.scalars(
        XComModel.get_many(
            run_id=dag_run.run_id, key="return_value", dag_ids=dag_run.dag_id, task_ids="load", map_indexes=-1
        )
    ).first()
    return None if row is None else XComModel.deserialize_value(row)


def _annotate(dag_run, state: str) -> None:
    if dag_run.dag_id != INGEST_DAG:
        return
    try:
        from transforms.runlog import run_note

        note = run_note(
            _load_result(dag_run), state, str(getattr(dag_run.run_type, "value", dag_run.run_type))
        )
        if not dag_run.note:  # a person's note is never overwritten
            dag_run.note = note
    except Exception:  # noqa: BLE001 - a note must never fail the scheduler loop
        log.warning("could not set the note of %s", dag_run.run_id, exc_info=True)


@hookimpl
def on_dag_run_success(dag_run, msg: str) -> None:
    _annotate(dag_run, "success")


@hookimpl
def on_dag_run_failed(dag_run, msg: str) -> None:
    _annotate(dag_run, "failed")
