"""Helpers shared by the test modules (one place: no test file keeps its own copy)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from transforms.catalogue import indicator_codes
from transforms.reference import Reference

CODES = list(indicator_codes())
# One consistent row: every relation rule holds (2 registered, 1 recognised = 1 collective + 0
# individual, 80 attendees at 2 conferences, ...). Keyed by indicator code: an indicator added to the
# catalogue gets DEFAULT_FIGURE until a rule ties it to others (then give it a figure here).
FIGURES = {
    "models_registered": 2, "models_recognized": 1, "models_recognized_collective": 1,
    "models_recognized_individual": 0, "documents_issued": 3, "conferences_held": 2,
    "conference_attendees": 80, "trainings_held": 1, "training_attendees": 30,
    "review_conferences_held": 1, "inspections_held": 2, "party_orgs_inspected": 3,
    "party_members_inspected": 4, "commendations_collective": 1, "commendations_individual": 2,
    "citizen_receptions": 5, "petitions_received": 4, "petitions_resolved": 3, "hot_issues_tracked": 1,
}  # fmt: skip
DEFAULT_FIGURE = 1
GOOD = {c: FIGURES.get(c, DEFAULT_FIGURE) for c in CODES}


def dag_test(test):
    """For a test that runs a real DAG with ``dag.test``: it gets the session's Airflow metadata DB,
    and under pytest-xdist (``make test``) all such tests share one worker (``--dist loadgroup``),
    so only that worker pays for the metadata DB and the first ``dag.test`` of a process (~8 s:
    Airflow builds its execution API app then)."""
    return pytest.mark.usefixtures("airflow_db")(pytest.mark.xdist_group("dag_test")(test))


def reference() -> Reference:
    """The as-of hierarchy of the real reference, as a pipeline process holds it."""
    return Reference.shared()


def write_csv(path: Path, records: list[dict], header: list[str] | None = None) -> Path:
    """``records`` as a UTF-8 CSV (columns: ``header``, else the first record's keys)."""
    header = header or list(records[0])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=header, extrasaction="ignore")
        w.writeheader()
        w.writerows(records)
    return path
