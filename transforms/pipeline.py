"""The steps of the DAGs, one function per task. JSON in, JSON out (they travel as XComs).

Work is batched: a national half-year is ~700 files, and per-file costs (a GX import, an Airflow
task start) would dominate. `plan` splits the waiting files into batches; `archive_batch` and
`validate_batch` run once per batch (mapped tasks, parallel under a distributed executor);
`load` is the single writer of the raw layer; `notify` writes the senders' feedback;
`build_warehouse`/`check_warehouse`/`publish_warehouse` rebuild and swap the analysts' file.
`record_decision` records a validator's decision (the CLI and the review DAG both call it).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from datetime import datetime
from pathlib import Path

from transforms import intake, sql
from transforms.config import home

log = logging.getLogger(__name__)


def default_batch_size() -> int:
    """Files per validate task: ``DANVAN_BATCH_SIZE``, else 1000. Each batch pays GX's fixed cost
    of three suite runs (measured in README.md and bench-results.json), so a national half-year
    (~700 files) is best one batch on one machine; under a distributed executor, files / workers
    spreads it."""
    return int(os.environ.get("DANVAN_BATCH_SIZE") or 1000)


def plan(
    home_root: str, explicit: list, *, settle_seconds: float, now: float, batch_size: int | None = None
) -> list[list[dict]]:
    """Claim settled inbox files; return everything waiting (claimed + explicit) in batches."""
    h = home(home_root).ensure()
    intake.claim_settled(h.inbox, h.claimed, min_age_s=settle_seconds, now=now)
    waiting = [c.to_dict() for c in intake.list_claimed(h.claimed)]
    for item in explicit or []:
        spec = item if isinstance(item, dict) else {"path": item}
        waiting.append(intake.explicit_file(spec["path"], spec.get("sender_code")).to_dict())
    waiting.sort(key=lambda c: (c["received_at"], c["path"]))
    size = max(1, int(batch_size or default_batch_size()))
    return [waiting[i : i + size] for i in range(0, len(waiting), size)]


def archive_batch(home_root: str, batch: list[dict]) -> list[dict]:
    """Archive every file byte for byte (sha256) before anything reads it; return receipts."""
    h = home(home_root).ensure()
    receipts = []
    for claimed in batch:
        sha, archived = intake.archive_file(h.archive, Path(claimed["path"]))
        sid = intake.submission_id(claimed["sender_code"], sha, claimed["received_at"], claimed["file_name"])
        receipts.append({**claimed, "sha256": sha, "archive_path": str(archived), "submission_id": sid})
    return receipts


def validate_batch(home_root: str, receipts: list[dict], run_key: str) -> str:
    """Read and validate a batch; write its artefacts (parquet) and return their folder."""
    from transforms import suites
    from transforms.validate import validate_batch as validate

    h = home(home_root).ensure()
    ids = "|".join(sorted(r["submission_id"] for r in receipts))
    out = h.work / _safe(run_key) / hashlib.sha256(ids.encode()).hexdigest()[:16]
    out.mkdir(parents=True, exist_ok=True)
    with suites.keep_results() as kept:
        result = validate(receipts, h.extra_units if h.extra_units.exists() else None)
    result.submissions["data_docs_path"] = _data_docs(h, kept, receipts, run_key, out.name, result)
    result.submissions.to_parquet(out / "submissions.parquet", index=False)
    result.issues.to_parquet(out / "issues.parquet", index=False)
    result.values.to_parquet(out / "values.parquet", index=False)
    (out / "receipts.json").write_text(json.dumps(receipts, ensure_ascii=False, indent=1), encoding="utf-8")
    return str(out)


def _data_docs(h, kept: list, receipts: list[dict], run_key: str, batch_id: str, result) -> list:
    """Build the batch's Data Docs pages; each submission links to the page of the suite run that
    found its worst problem, else to its batch's `submissions` run. Pages are a convenience for
    validators: if building them fails, the batch is still validated and loaded, without links."""
    from transforms.rules import rules
    from transforms.suites import SUITES, build_data_docs

    ids = result.submissions["submission_id"].tolist()
    if not kept:
        return [None] * len(ids)
    # the batch's own time, not the clock: a rerun writes the same pages
    run_time = max(datetime.fromisoformat(r["received_at"]) for r in receipts)
    try:
        pages = build_data_docs(
            h.data_docs, kept, run_name=_safe(run_key), batch_id=batch_id, run_time=run_time
        )
    except Exception:  # noqa: BLE001 - see the docstring
        log.warning("Data Docs not built for batch %s", batch_id, exc_info=True)
        return [None] * len(ids)
    stage = {code: rule.stage for code, rule in rules().items()}
    best: dict[str, tuple] = {}  # the worst problem's suite: errors before warnings, then suite order
    for sid, code, severity in result.issues[["submission_id", "issue_code", "severity"]].itertuples(
        index=False
    ):
        suite = stage.get(code)
        if suite in pages:
            best[sid] = min(best.get(sid, (9, 9, "")), (severity != "error", SUITES.index(suite), suite))
    return [pages.get(best[sid][2] if sid in best else "submissions") for sid in ids]


def load(home_root: str, artefacts: list[str]) -> dict:
    """Record verdicts, issues and accepted rows (one transaction), then clear the claimed files."""
    from transforms.load import load_artefacts
    from transforms.warehouse import pipeline_writer

    h = home(home_root).ensure()
    dirs = [Path(a) for a in artefacts or []]
    with pipeline_writer(h.pipeline_db, h.lock_file) as con:
        load_artefacts(con, dirs, extra_units=h.extra_units if h.extra_units.exists() else None)
        summary = _summary(con, _submission_ids(dirs))
    for d in dirs:  # the bytes are archived and recorded: the claimed copies can go
        for r in json.loads((d / "receipts.json").read_text(encoding="utf-8")):
            p = Path(r["path"])
            if p.is_relative_to(h.claimed):
                p.unlink(missing_ok=True)
    return summary


def notify(home_root: str, summary: dict) -> dict:
    """Write the senders' feedback (outbox/<sender>/<stem>.feedback.xlsx + .csv) for this run's
    submissions that were rejected or have warnings; a cleanly accepted file removes an earlier
    feedback of the same name. Issues are read from the raw layer (under the writer lock, briefly)."""
    from transforms import review
    from transforms.warehouse import pipeline_writer

    h = home(home_root).ensure()
    ids = [s["submission_id"] for s in summary.get("submissions") or []]
    if not ids:
        return {"written": [], "removed": []}
    with pipeline_writer(h.pipeline_db, h.lock_file) as con:
        found = review.reports(con, ids)
    return _feedback(h, found)


def record_decision(
    home_root: str, submission_id: str, decision: str, reason: str, decided_by: str, decided_at: str
) -> dict:
    """A validator's accept/reject/reopen (CLI or the review DAG): append it if allowed (else
    review.DecisionRefused), then refresh the sender's feedback. ``decided_at``: ISO 8601 with zone."""
    from transforms import review
    from transforms.warehouse import pipeline_writer

    h = home(home_root).ensure()
    at = datetime.fromisoformat(decided_at) if isinstance(decided_at, str) else decided_at
    with pipeline_writer(h.pipeline_db, h.lock_file) as con:
        row = review.record_decision(con, submission_id, decision, reason, decided_by, at)
        found = review.reports(con, [submission_id])
    written = _feedback(h, found)
    s = found[0]["submission"]
    return {**row, "decided_at": row["decided_at"].isoformat(), "status": s["status"], "feedback": written}


def record_review_response(home_root: str, submission_id: str, response: dict) -> dict:
    """A validator's answer in Airflow's human-in-the-loop form, recorded by record_decision: who
    responded and when are the facts the form captured."""
    who = response.get("responded_by_user") or {}
    at = response["responded_at"]
    return record_decision(
        home_root,
        submission_id,
        response["chosen_options"][0],
        (response.get("params_input") or {}).get("reason") or "",
        who.get("name") or who.get("id") or "",
        at if isinstance(at, str) else at.isoformat(),
    )


def review_brief(home_root: str, submission_id: str) -> str:
    """The submission, its problems and decisions as the published warehouse shows them (Markdown)."""
    import duckdb

    from transforms import review

    h = home(home_root)
    found = None
    if h.warehouse_db.exists():
        con = duckdb.connect(str(h.warehouse_db), read_only=True)
        try:
            found = review.describe(con, submission_id)
        finally:
            con.close()
    if found is None:
        raise review.DecisionRefused(
            f"Không có lần nộp {submission_id} trong kho dữ liệu đã công bố (chờ lần tổng hợp tới?).",
            f"No submission {submission_id} in the published warehouse (waiting for the next rollup?).",
        )
    return review.brief_markdown(found)


def _feedback(h, found: list[dict]) -> dict:
    from transforms.feedback import remove_feedback, write_feedback

    written, removed = [], []
    for item in found:  # in the order received: of two files with the same stem, the later wins
        s, decision = item["submission"], item["decision"]
        if s["verdict"] in ("rejected", "accepted_with_warnings") or decision:
            written += [str(p) for p in write_feedback(h.outbox, s, item["issues"], decision)]
        elif s["verdict"] == "accepted":
            removed += [str(p) for p in remove_feedback(h.outbox, s["sender_code"], s["file_name"])]
    return {"written": written, "removed": removed}


def build_warehouse(home_root: str) -> str:
    from transforms.warehouse import build, writer_lock

    h = home(home_root).ensure()
    target = h.root / "warehouse.building.duckdb"
    with writer_lock(h.lock_file):
        build(h.pipeline_db, target, h.extra_units)
    return str(target)


def check_warehouse(path: str) -> dict:
    from transforms.warehouse import check

    return check(Path(path))


def publish_warehouse(home_root: str, path: str) -> str:
    from transforms.warehouse import publish

    return str(publish(Path(path), home(home_root).warehouse_db))


def _summary(con, ids: list[str]) -> dict:
    counts = {"received": len(ids), "accepted": 0, "accepted_with_warnings": 0, "rejected": 0, "duplicate": 0}
    rows = []
    if ids:
        rows = sql.run(con, "pipeline/summary", [ids]).fetchall()
    keys = ("submission_id", "sender_code", "file_name", "period", "status", "error_count", "warning_count")
    subs = [dict(zip(keys, r, strict=True)) for r in rows]
    for s in subs:
        counts[s["status"]] = counts.get(s["status"], 0) + 1
    return {**counts, "submissions": subs}


def _submission_ids(dirs: list[Path]) -> list[str]:
    return [
        r["submission_id"]
        for d in dirs
        for r in json.loads((d / "receipts.json").read_text(encoding="utf-8"))
    ]


def _safe(run_key: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in run_key)[:120] or "run"
