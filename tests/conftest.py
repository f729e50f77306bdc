"""Test environment: a throwaway Airflow home and danvan home, set before anything imports airflow.

Airflow reads its configuration on first import, so the variables are set at the top of this file,
overriding the caller's shell (a developer's real AIRFLOW_HOME must never be touched by tests).
One Airflow metadata DB serves the whole session; each test gets its own danvan home.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SESSION_DIR = Path(tempfile.mkdtemp(prefix="danvan-tests-"))
AIRFLOW_HOME = SESSION_DIR / "airflow"

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
    }
)
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from danvan.airflow_env import configure  # noqa: E402  (must follow the environment above)
from transforms.config import Home, home  # noqa: E402

configure(home())  # the remaining defaults (logs, unpaused DAGs, PYTHONPATH for subprocesses)

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """The session's Airflow metadata DB, created once (~1-3 s) by the first test that needs it."""
    from danvan.airflow_env import ensure_db

    ensure_db()
    return AIRFLOW_HOME / "airflow.db"


@pytest.fixture
def danvan_home(tmp_path: Path, airflow_db: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    """A fresh danvan home for one test (DAG files read DANVAN_HOME when parsed), sharing the DB."""
    h = home(tmp_path / "danvan").ensure()
    monkeypatch.setenv("DANVAN_HOME", str(h.root))
    return h
