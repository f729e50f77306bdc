"""Airflow for one danvan installation: environment, metadata DB, and running a DAG in-process.

Airflow reads its configuration once, when first imported, so ``configure`` must run before anything
imports ``airflow``; nothing at module level here imports it. Airflow settings use ``setdefault`` so
an outer environment (CI, the test session's single metadata DB) wins; ``DANVAN_HOME`` is always
the home given, because it is what the DAG files read at parse time.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any

from transforms.config import PROJECT_ROOT, Home

DAGS_FOLDER = PROJECT_ROOT / "dags"


def configure(home: Home) -> dict[str, str]:
    """Point Airflow at ``home`` (metadata DB, logs) and this project's dags; return the effective values."""
    af = home.airflow_home
    os.environ["DANVAN_HOME"] = str(home.root)
    defaults = {
        "AIRFLOW_HOME": str(af),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{af}/airflow.db",
        # A paused DAG runs no asset watcher: a dropped file must be processed with nobody clicking.
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home.logs / "airflow"),
        "AIRFLOW__LOGGING__DAG_PROCESSOR_CHILD_PROCESS_LOG_DIRECTORY": str(
            home.logs / "airflow" / "dag_processor"
        ),
        "AIRFLOW__LOGGING__COLORED_CONSOLE_LOG": "False",
        "GX_ANALYTICS_ENABLED": "false",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    # The dag-processor, triggerer and task processes import danvan/transforms (trigger class, tasks):
    # make that work without `pip install -e .` too.
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if str(PROJECT_ROOT) not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([str(PROJECT_ROOT), *paths])
    Path(os.environ["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    home.logs.mkdir(parents=True, exist_ok=True)
    return {k: os.environ[k] for k in ("DANVAN_HOME", "PYTHONPATH", *defaults)}


def _sqlite_path() -> Path | None:
    conn = os.environ.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "")
    return Path(conn.removeprefix("sqlite:///")) if conn.startswith("sqlite:///") else None


def _is_migrated(db: Path) -> bool:
    if not db.exists():
        return False
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
        try:
            return con.execute("SELECT count(*) FROM alembic_version").fetchone()[0] > 0
        except sqlite3.DatabaseError:
            return False


def ensure_db() -> None:
    """Create the metadata DB when missing; a DB that exists is trusted (checked in milliseconds)."""
    db = _sqlite_path()
    if db is not None and _is_migrated(db):
        return
    from airflow.utils import db as airflow_db

    airflow_db.initdb()


_LOG_FILES: dict[Path, Any] = {}


def route_logs(path: Path) -> None:
    """Send Airflow's logging (structlog and stdlib) to ``path`` instead of the console, from now on.

    The file stays open for the life of the process: loggers cached during a run keep writing to it.
    """
    from airflow.sdk.log import configure_logging

    if path not in _LOG_FILES:
        path.parent.mkdir(parents=True, exist_ok=True)
        _LOG_FILES[path] = path.open("a", encoding="utf-8", buffering=1)
    configure_logging(output=_LOG_FILES[path], colored_console_log=False)


def load_dag(dag_id: str):
    """The DAG exactly as the scheduler sees it: parsed from the dags folder by a DagBag."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=os.environ.get("AIRFLOW__CORE__DAGS_FOLDER", str(DAGS_FOLDER)))
    if bag.import_errors:
        raise RuntimeError(f"DAG import errors: {bag.import_errors}")
    dag = bag.dags.get(dag_id)  # not get_dag(): that also queries the metadata DB
    if dag is None:
        raise KeyError(f"no DAG {dag_id!r} in {bag.dag_folder}")
    return dag


def run_dag(dag_id: str, conf: dict[str, Any] | None = None, *, log_file: Path | None = None):
    """Run one DAG run in-process with ``dag.test``; return ``(state, dag_run)``.

    ``dag.test`` does not raise when a task fails, so callers must look at the state. Task and
    Airflow logs go to ``log_file`` (default ``$DANVAN_HOME/logs/danvan-run.log``), not the console.
    """
    from transforms.config import home

    route_logs(log_file or home().logs / "danvan-run.log")
    ensure_db()
    dag = load_dag(dag_id)
    dag_run = dag.test(run_conf=conf or {})
    return str(dag_run.state), dag_run


def task_result(dag_run, task_id: str, map_index: int = -1) -> Any:
    """The return value (XCom) of one task of a finished run, or None."""
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    with create_session() as session:
        row = session.scalars(
            XComModel.get_many(
                run_id=dag_run.run_id,
                key="return_value",
                dag_ids=dag_run.dag_id,
                task_ids=task_id,
                map_indexes=map_index,
            )
        ).first()
        return None if row is None else XComModel.deserialize_value(row)


@contextlib.contextmanager
def fail_fast_when_disk_full():
    """In a task: a full disk (transforms.isolation.DiskFull) fails the task at once, without the
    retries meant for passing trouble; its message is what ``danvan run`` prints."""
    from airflow.sdk.exceptions import AirflowFailException

    from transforms.isolation import DiskFull

    try:
        yield
    except DiskFull as exc:
        raise AirflowFailException(str(exc)) from exc
