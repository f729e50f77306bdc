"""One file never blocks another: whatever fails for one file becomes that file's own verdict.

A batch step (validating a batch, loading artefacts) is tried whole; on an exception the batch is
split in halves and each half retried, so one bad file among n costs about 2 log2(n) retries and
ends up alone, where it is recorded as ``rejected`` with ``file_unprocessable`` and the error
class (never a traceback: that goes to the log, for the data team). A disk that is full is not a
file's fault: ``DiskFull`` stops the run with a clear message and nothing is recorded for it.

Also here: the artefacts of such a verdict (the same three Parquet files a validate task writes),
the crash points the chaos tests use, and the count of runs that planned a claimed file.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

from transforms.files import write_atomically, write_text_atomically
from transforms.intake import release_claim
from transforms.records import Receipt
from transforms.rules import ISSUE_COLUMNS, issue

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # runs that planned a claimed file and did not finish it, before quarantine
VALUE_COLUMNS = {
    "submission_id": "string",
    "row_number": "Int64",
    "unit_code": "string",
    "is_declared_total": "boolean",
    "indicator_code": "string",
    "value": "Int64",
}
DISK_FULL = "DANVAN_DISK_FULL"  # the marker `danvan run` looks for in the log of a failed run


class DiskFull(RuntimeError):
    """No space left on the device: the run stops, the claimed files stay claimed."""

    def __init__(self, what: str):
        super().__init__(
            f"{DISK_FULL}: no space left on the device while {what}. Nothing half-written is kept: "
            "files not yet recorded stay in claimed/, feedback not yet written stays due, and the "
            "next run does both once space is freed."
        )


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, DiskFull) or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC)


def is_out_of_memory(exc: BaseException) -> bool:
    """DuckDB ran out of its memory limit (DANVAN_DUCKDB_MEMORY_LIMIT): the machine's fault, not a
    file's. Isolating would reject good files one by one; the run fails instead, to be retried
    with more memory."""
    return type(exc).__name__ == "OutOfMemoryException" and type(exc).__module__.lstrip("_").startswith(
        "duckdb"
    )


@contextlib.contextmanager
def disk_guard(what: str) -> Iterator[None]:
    """Turn ENOSPC into DiskFull (a message people can act on)."""
    try:
        yield
    except DiskFull:
        raise
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise DiskFull(what) from exc
        raise


def crash_point(name: str) -> None:
    """Tests only: ``DANVAN_CRASH_AT=<name>`` kills this process here with SIGKILL (kill -9)."""
    if os.environ.get("DANVAN_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def error_class(exc: BaseException) -> str:
    return type(exc).__name__


def bisect(
    items: list, attempt: Callable[[list], object], alone: Callable[[dict, BaseException], object]
) -> list:
    """``attempt(items)``; on an exception, both halves again, down to one item, which becomes
    ``alone(item, exc)``. Returns the results in order. A full disk or DuckDB out of memory is
    never absorbed: no file caused it."""
    try:
        return [attempt(items)]
    except Exception as exc:  # noqa: BLE001 - isolating whatever one file causes is the point
        if is_disk_full(exc) or is_out_of_memory(exc):
            raise
        if len(items) == 1:
            log.error("file isolated after a failure: %s", items[0].get("file_name"), exc_info=True)
            return [alone(items[0], exc)]
        log.warning("batch of %d failed (%s): retrying its halves", len(items), error_class(exc))
        mid = len(items) // 2
        return bisect(items[:mid], attempt, alone) + bisect(items[mid:], attempt, alone)


# --------------------------------------------------------------------------- unprocessable files
def unprocessable_frames(
    receipts: list[dict], detail: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(submissions, issues, values) recording ``receipts`` as rejected with file_unprocessable."""
    subs = pd.DataFrame(
        [
            {
                **{k: r.get(k) for k in ("submission_id", "file_name", "archive_path", "received_at")},
                "sender_code": r.get("sender_code") or None,
                "file_sha256": r.get("sha256") or "",
                "period": None,
                "file_format": Path(r["file_name"]).suffix.lower().lstrip(".") or None,
                "shape": "unreadable",
                "verdict": "rejected",
                "error_count": 1,
                "warning_count": 0,
                "unit_row_count": None,
            }
            for r in receipts
        ]
    ).astype({"period": "string", "file_format": "string", "unit_row_count": "Int64"})
    issues = pd.DataFrame(
        [issue("file_unprocessable", r["submission_id"], detail=detail) for r in receipts],
        columns=list(ISSUE_COLUMNS),
    ).astype({"row_number": "Int64", "column_name": "string", "unit_code": "string", "value": "string"})
    values = pd.DataFrame({c: pd.Series(dtype=t) for c, t in VALUE_COLUMNS.items()})
    return subs, issues, values


def write_artefacts(out: Path, receipts: list[Receipt], submissions, issues, values) -> Path:
    """The three Parquet files and receipts.json of one validated batch, each written whole
    (temporary name, then rename): a crash or a full disk never leaves half a file to be loaded."""
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in (("submissions", submissions), ("issues", issues), ("values", values)):
        write_atomically(out / f"{name}.parquet", lambda tmp, f=frame: f.to_parquet(tmp, index=False))
    write_text_atomically(out / "receipts.json", json.dumps(receipts, ensure_ascii=False, indent=1))
    return out


def receipts_of(artefact: Path) -> list[Receipt]:
    return json.loads((artefact / "receipts.json").read_text(encoding="utf-8"))


def split_artefact(artefact: Path) -> list[Path]:
    """One artefact folder per submission of ``artefact`` (under it, in ``split/``)."""
    frames = {n: pd.read_parquet(artefact / f"{n}.parquet") for n in ("submissions", "issues", "values")}
    out = []
    for r in receipts_of(artefact):
        sid = r["submission_id"]
        parts = {n: f[f["submission_id"] == sid] for n, f in frames.items()}
        out.append(
            write_artefacts(
                artefact / "split" / sid, [r], parts["submissions"], parts["issues"], parts["values"]
            )
        )
    return out


# ------------------------------------------------------------------------------ claimed attempts
def read_attempts(path: Path) -> dict[str, int]:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return {str(k): int(v) for k, v in found.items()} if isinstance(found, dict) else {}


def write_attempts(path: Path, attempts: dict[str, int]) -> None:
    write_text_atomically(path, json.dumps(attempts, indent=1, sort_keys=True), "ascii")  # any name survives


def set_aside(src: Path, claimed_root: Path, quarantine_root: Path) -> Path:
    """Move a claimed file to the same place under ``quarantine/`` (a free name: nothing overwritten)."""
    target = quarantine_root / src.relative_to(claimed_root)
    n = 1
    while target.exists():
        target = target.with_name(f"{src.stem}.{n}{src.suffix}")
        n += 1
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(src, target)
    release_claim(src)  # its sidecar: what it held is in the receipt, and the claim is over
    return target
