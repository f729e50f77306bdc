"""The records the pipeline's tasks hand each other, as types: what each key holds is written here
once, and a type checker (or a reader) follows a receipt from plan to load without opening the
code that made it. They are plain dicts at run time: each crosses a task boundary as JSON (an
Airflow XCom, ``receipts.json``), which a dataclass would not survive.

Times are ISO 8601 strings in UTC (``received_at``): parsed only at the edges (the CLI, a DAG
task's logical date), never in between.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class Claim(TypedDict):
    """A file taken out of the inbox, or named in ``dag_run.conf`` (``intake.Claimed``): plan's
    output, archive's input."""

    path: str
    sender_code: str
    file_name: str
    received_at: str


class Receipt(Claim):
    """A file archived byte for byte (archive's output, validate's input, ``receipts.json``).
    ``failed``: the error class when it could not be archived (it is then rejected as
    file_unprocessable, and archive_path says where it was set aside)."""

    sha256: str
    archive_path: str
    submission_id: str
    failed: NotRequired[str]


class Issue(TypedDict):
    """One problem of a submission, as stored in submission_issues and shown to its sender
    (``rules.issue``). row_number None: about the whole file."""

    submission_id: str
    row_number: int | None
    column_name: str | None
    unit_code: str | None
    issue_code: str
    severity: str  # error | warning | info (schemas/rules.yaml)
    value: str | None
    message_vi: str
    message_en: str


class Outcome(TypedDict):
    """What load recorded for one submission of the run: its verdict (accepted,
    accepted_with_warnings, rejected, duplicate: the pipeline's word; ``status`` is the marts',
    after a validator's decision) and how many errors and warnings it has."""

    submission_id: str
    sender_code: str
    file_name: str
    period: str | None
    verdict: str
    error_count: int
    warning_count: int


class LoadSummary(TypedDict):
    """load's output (notify's and announce's input, the run's note): the files received and the
    count per verdict, with each submission's outcome."""

    received: int
    accepted: int
    accepted_with_warnings: int
    rejected: int
    duplicate: int
    submissions: list[Outcome]
