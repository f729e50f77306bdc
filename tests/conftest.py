"""Test environment: a throwaway Airflow home and danvan home, set before anything imports airflow.

Airflow reads its configuration on first import, so the variables are set at the top of this file,
overriding the caller's shell (a developer's real AIRFLOW_HOME must never be touched by tests).
One Airflow metadata DB serves the whole session (each pytest-xdist worker is a session of its own,
with its own Airflow home); each test gets its own danvan home.

The metadata DB is needed by `dag.test` runs only (tests marked ``helpers.dag_test``). A freshly
migrated DB is kept as a template beside the installed Airflow (``sys.prefix``, keyed by the
Airflow and SQLAlchemy versions: a reinstall or an upgrade makes a new one) and copied into each
session's Airflow home, instead of running every migration again each session.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
from contextlib import closing
from importlib.metadata import version
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SESSION_DIR = Path(tempfile.mkdtemp(prefix="danvan-tests-"))
AIRFLOW_HOME = SESSION_DIR / "airflow"
AIRFLOW_DB = AIRFLOW_HOME / "airflow.db"
DB_TEMPLATE = (
    Path(sys.prefix)
    / ".danvan-test-cache"
    / f"airflow-{version('apache-airflow-core')}-sqlalchemy-{version('sqlalchemy')}.db"
)

os.environ.update(
    {
        "AIRFLOW_HOME": str(AIRFLOW_HOME),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{AIRFLOW_HOME}/airflow.db",
        "DANVAN_HOME": str(SESSION_DIR / "danvan"),
        # Data Docs pages only where a test is about them (tests/unit/test_data_docs.py and the
        # validators' desk turn them on): rendering them is the largest fixed cost of a batch.
        "DANVAN_DATA_DOCS": "0",
        # `make test` runs one xdist worker per core: one DuckDB thread each, not two that contend
        # (README, "Tests"; the production profile test keeps DuckDB's own)
        "DANVAN_DUCKDB_THREADS": "1",
    }
)
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from danvan.airflow_env import configure  # noqa: E402  (must follow the environment above)
from transforms.config import Home, home  # noqa: E402

configure(home())  # the remaining defaults (logs, unpaused DAGs, PYTHONPATH for subprocesses)
if DB_TEMPLATE.exists():  # migrated once for this Airflow: a copy is what initdb would build
    shutil.copyfile(DB_TEMPLATE, AIRFLOW_DB)

import pytest  # noqa: E402


def _keep_template(db: Path) -> None:
    """Save a freshly migrated ``db`` as the template (atomically: sessions may race to do it)."""
    tmp = DB_TEMPLATE.with_name(f"{DB_TEMPLATE.name}.{os.getpid()}.tmp")
    try:
        DB_TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(db)) as src, closing(sqlite3.connect(tmp)) as dst:
            src.backup(dst)
        os.replace(tmp, DB_TEMPLATE)
    except (OSError, sqlite3.Error):  # a read-only install: every session migrates its own
        tmp.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """The session's Airflow metadata DB: the template's copy, else migrated here (~2-5 s) once."""
    from danvan.airflow_env import ensure_db

    migrating = not AIRFLOW_DB.exists()
    ensure_db()
    if migrating:
        _keep_template(AIRFLOW_DB)
    return AIRFLOW_DB


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """``make test`` (-n 2 --dist loadgroup): a work unit is an xdist_group (``helpers.dag_test``)
    or else a whole module, in collection order (the DAG runs first: they are the longest unit).
    A module on one worker builds each of its module-scoped fixtures (a built warehouse, a generated
    national half-year, the heavy-import subprocess) once per run, not once per worker."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class GroupOrModule(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return scope if scope != nodeid else nodeid.split("::")[0]

    config.option.loadscopereorder = False  # not by test count: collection order
    return GroupOrModule(config, log)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In a loadgroup worker: a test of an xdist_group gets the ``@group`` suffix that tells the
    scheduler its group. pytest-xdist 3.8 sets it on ``item._nodeid``, which pytest 9.2 no longer
    reads (it keeps a NodeId in ``item._id``), so it is done here; a no-op once xdist does it."""
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        mark = item.get_closest_marker("xdist_group")
        if mark is not None and "@" not in item.nodeid.rsplit("]", 1)[-1] and hasattr(item, "_id"):
            name = mark.args[0] if mark.args else mark.kwargs.get("name", "default")
            item._id = NodeId.parse(f"{item.nodeid}@{name}")


def pytest_unconfigure(config: pytest.Config) -> None:
    """The session's throwaway homes go with it (a failing test's files stay under pytest's tmp)."""
    shutil.rmtree(SESSION_DIR, ignore_errors=True)


@pytest.fixture
def danvan_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    """A fresh danvan home for one test (DAG files read DANVAN_HOME when parsed). The Airflow
    metadata DB is not set up here: only `dag.test` runs need it (``helpers.dag_test``)."""
    h = home(tmp_path / "danvan").ensure()
    monkeypatch.setenv("DANVAN_HOME", str(h.root))
    return h
