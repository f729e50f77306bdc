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
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from transforms import intake, memory, sql
from transforms.config import home
from transforms.records import Claim, LoadSummary, Outcome, Receipt

log = logging.getLogger(__name__)
RELEASE_THREADS = 8  # load: claimed files removed in parallel once recorded (I/O waits, not CPU)


def default_batch_size() -> int:
    """Files per validate task: ``DANVAN_BATCH_SIZE``, else 4000. Each batch pays GX's fixed cost
    of three suite runs and a Data Docs rendering (measured in README.md and bench-results.json),
    so a national half-year is best one batch on one machine: ~770 files before the 2025 reform,
    ~3,500 after it (one file per commune, province and body: 4 batches of 1000 cost ~2 s each);
    under a distributed executor, files / workers spreads it."""
    return int(os.environ.get("DANVAN_BATCH_SIZE") or 4000)


def data_docs_enabled() -> bool:
    """``DANVAN_DATA_DOCS=0`` skips the Data Docs pages (a deployment that does not use them saves
    their rendering per batch; the test suite builds them only where they are under test)."""
    return os.environ.get("DANVAN_DATA_DOCS", "1") != "0"


def plan(
    home_root: str,
    explicit: list,
    *,
    settle_seconds: float,
    now: float,
    batch_size: int | None = None,
    arrival_from_mtime: bool = False,
) -> list[list[Claim]]:
    """Claim settled inbox files; return everything waiting (claimed + explicit) in batches.
    ``arrival_from_mtime``: simulations only (intake.claim_settled)."""
    h = home(home_root).ensure()
    intake.claim_settled(
        h.inbox, h.claimed, min_age_s=settle_seconds, now=now, arrival_from_mtime=arrival_from_mtime
    )
    waiting = _count_attempts(h, [c.to_dict() for c in intake.list_claimed(h.claimed)])
    for item in explicit or []:
        spec = item if isinstance(item, dict) else {"path": item}
        waiting.append(intake.explicit_file(spec["path"], spec.get("sender_code")).to_dict())
    waiting.sort(key=lambda c: (c["received_at"], c["path"]))
    size = max(1, int(batch_size or default_batch_size()))
    batches = batched(waiting, size, default_batch_bytes(), default_batch_rows())
    log.info("plan: %d tệp chờ / files waiting -> %d lô / batches of <= %d", len(waiting), len(batches), size)
    return batches


def default_batch_bytes() -> int:
    """Bytes of files per validate task: ``DANVAN_BATCH_BYTES``, else 8 MB. Files are read whole
    into frames, so a batch's memory follows its bytes: a national half-year is ~3 MB (one batch),
    a backlog of sixteen is ~45 MB (six batches, each validated and loaded on its own)."""
    return int(os.environ.get("DANVAN_BATCH_BYTES") or 8 * 2**20)


def default_batch_rows() -> int:
    """Figures per validate task (as ``estimated_rows`` counts them before reading):
    ``DANVAN_BATCH_ROWS``, else 750,000. Validation's memory follows the figures a batch holds
    (~1 KB each in its frames and suite runs: 1.8 million in one batch peaked at 2 GB), and bytes
    do not tell them (a one-row post-reform file is mostly its 1.2 KB header). A national
    half-year in which every unit breaks every figure down is ~590,000 (one batch)."""
    return int(os.environ.get("DANVAN_BATCH_ROWS") or 750_000)


KEY_FIELDS = 3  # period, unit_code, unit_name: the fields of a wide data line that are not figures
TEXT_DELIMITERS = (b",", b";", b"\t")
PACKED_BYTES_PER_ROW = 8  # xlsx and Parquet are compressed: a cell is a few bytes (an estimate)


def estimated_rows(path: str, size: int) -> int:
    """The figures a file holds, told from its bytes without parsing them: for CSV the fields of
    its data lines less each line's keys (period, unit code, name), at least one a line (a long
    file's line is one figure); JSON the same with its records. xlsx and Parquet from their size.
    A file that cannot be read counts as its bytes (archiving or reading will say why)."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".csv", ".json"):
        return size // PACKED_BYTES_PER_ROW
    try:
        with open(path, "rb") as fh:
            data = fh.read(size + 1)
    except OSError:
        return size
    if suffix == ".json":
        lines, fields = data.count(b"{"), data.count(b",") + 1
    else:
        end = b"\n" if b"\n" in data else b"\r"  # \r\n ends in \n too
        header, _, body = data.partition(end)
        delimiter = max(TEXT_DELIMITERS, key=header.count)
        lines = body.count(end) + (not body.endswith(end) and bool(body))
        fields = body.count(delimiter) + lines
    return max(lines, fields - KEY_FIELDS * lines)


def batched(
    files: list[dict], max_files: int, max_bytes: int, max_rows: int | None = None
) -> list[list[dict]]:
    """Consecutive batches of at most ``max_files`` files, ``max_bytes`` bytes and ``max_rows``
    figures (``estimated_rows``; None: not counted). A file over a cap is a batch of its own
    (readers cap what one file may hold)."""
    out: list[list[dict]] = []
    batch, size, rows = [], 0, 0
    for f in files:
        try:
            n = os.lstat(f["path"]).st_size
        except OSError:
            n = 0  # gone: archiving will say so, as its own verdict
        r = 0 if max_rows is None or n == 0 or n > max_bytes else estimated_rows(f["path"], n)
        if batch and (
            len(batch) >= max_files or size + n > max_bytes or (max_rows is not None and rows + r > max_rows)
        ):
            out.append(batch)
            batch, size, rows = [], 0, 0
        batch.append(f)
        size += n
        rows += r
    if batch:
        out.append(batch)
    return out


def _count_attempts(h, waiting: list[dict]) -> list[dict]:
    """Count, per claimed file, the runs that planned it (``claimed.attempts.json``; a file that
    is recorded leaves ``claimed/`` and the count). A file planned MAX_ATTEMPTS times without being
    recorded (its runs crashed, or failed outside what isolation catches) is recorded as rejected
    (``file_unprocessable``, ``RepeatedFailure``) and moved to ``quarantine/``: it cannot wedge
    ``claimed/``. Returns the files still to process."""
    from transforms.isolation import MAX_ATTEMPTS, read_attempts, write_attempts

    before = read_attempts(h.attempts_file)
    worn = [c for c in waiting if before.get(c["path"], 0) >= MAX_ATTEMPTS]
    if worn:
        _quarantine(h, worn)
    waiting = [c for c in waiting if c not in worn]
    write_attempts(h.attempts_file, {c["path"]: before.get(c["path"], 0) + 1 for c in waiting})
    return waiting


def _quarantine(h, claimed: list[dict]) -> None:
    """Record each file as rejected (file_unprocessable), then move it to ``quarantine/`` (in that
    order: a crash in between leaves it claimed and worn, and the next run does the same again)."""
    from transforms.isolation import set_aside, unprocessable_frames, write_artefacts
    from transforms.load import load_artefacts
    from transforms.warehouse import pipeline_writer

    receipts = []
    for c in claimed:
        src = Path(c["path"])
        try:
            sha, archived = intake.archive_file(h.archive, src)
        except OSError:  # the bytes stay in quarantine/ (its path below is what is recorded)
            log.error("quarantined file could not be archived: %s", src, exc_info=True)
            sha, archived = "", h.quarantine / src.relative_to(h.claimed)
        sid = intake.submission_id(c["sender_code"], sha, c["received_at"], c["file_name"])
        receipts.append({**c, "sha256": sha, "archive_path": str(archived), "submission_id": sid})
    ids = "|".join(sorted(r["submission_id"] for r in receipts))
    out = h.work / "quarantine" / hashlib.sha256(ids.encode()).hexdigest()[:16]
    write_artefacts(out, receipts, *unprocessable_frames(receipts, "RepeatedFailure"))
    with pipeline_writer(h.pipeline_db, h.lock_file) as con:
        load_artefacts(con, [out], extra_units=h.extra_units if h.extra_units.exists() else None)
    for c in claimed:
        target = set_aside(Path(c["path"]), h.claimed, h.quarantine)
        log.error("quarantined after repeated failures: %s -> %s", c["path"], target)


def archive_batch(home_root: str, batch: list[Claim]) -> list[Receipt]:
    """Archive every file byte for byte (sha256) before anything reads it; return receipts.

    A file that cannot be archived (vanished, unreadable, a name the file system refuses) is moved
    to ``quarantine/`` if it still exists and gets a receipt marked ``failed``: validate records it
    as rejected (file_unprocessable) and the others go on. A full disk stops the run (DiskFull)."""
    from transforms.isolation import crash_point, disk_guard, error_class, is_disk_full, set_aside

    h = home(home_root).ensure()
    started = time.monotonic()
    receipts = []
    for claimed in batch:
        src = Path(claimed["path"])
        try:
            with disk_guard(f"archiving {claimed['file_name']!r}"):
                sha, archived = intake.archive_file(h.archive, src)
        except Exception as exc:  # noqa: BLE001 - one file's failure is its own verdict
            if is_disk_full(exc):
                raise
            log.error("archiving failed: %s", src, exc_info=True)
            sha, archived = "", src
            if src.is_relative_to(h.claimed) and src.exists():
                archived = set_aside(src, h.claimed, h.quarantine)
            claimed = {**claimed, "failed": error_class(exc)}
        sid = intake.submission_id(claimed["sender_code"], sha, claimed["received_at"], claimed["file_name"])
        receipts.append({**claimed, "sha256": sha, "archive_path": str(archived), "submission_id": sid})
    crash_point("after_archive")
    failed = sum(1 for r in receipts if r.get("failed"))
    log.info(
        "archive: %d tệp / files (%d failed) in %.1f s", len(receipts), failed, time.monotonic() - started
    )
    return receipts


def validate_batch(home_root: str, receipts: list[Receipt], run_key: str) -> str:
    """Read and validate a batch; write its artefacts (parquet) and return their folder."""
    from transforms import suites
    from transforms.isolation import bisect, disk_guard, error_class, unprocessable_frames, write_artefacts
    from transforms.validate import validate_batch as validate

    h = home(home_root).ensure()
    started = time.monotonic()
    log.info("validate: %d tệp / files (%s)", len(receipts), run_key)
    ids = "|".join(sorted(r["submission_id"] for r in receipts))
    out = h.work / _safe(run_key) / hashlib.sha256(ids.encode()).hexdigest()[:16]
    extra = h.extra_units if h.extra_units.exists() else None
    failed = [r for r in receipts if r.get("failed")]
    sound = [r for r in receipts if not r.get("failed")]

    isolated = []

    def alone(r: dict, exc: BaseException) -> tuple:
        isolated.append(r["submission_id"])
        return unprocessable_frames([r], error_class(exc))

    with suites.keep_results() as kept:
        # one file whose data breaks the suites or the frames is isolated, the rest validated
        parts = bisect(sound, lambda rs: _frames(validate(rs, extra)), alone) if sound else []
    if len(sound) > 1 and len(isolated) == len(sound):
        # not one file went through: the fault is the pipeline's, not the files' (retry the run)
        raise RuntimeError(f"validation failed for every one of the {len(sound)} files of the batch")
    split = len(parts) > 1
    parts += [unprocessable_frames([r], r["failed"]) for r in failed]
    result = _concat(parts) if parts else validate(receipts, extra)
    if split:  # one page per suite would show only the last part's rows
        log.warning("batch %s was split to isolate a failure: no Data Docs pages for it", out.name)
        kept = []
    if not data_docs_enabled():
        kept = []
    result.submissions["data_docs_path"] = _data_docs(h, kept, receipts, run_key, out.name, result)
    with disk_guard("writing the validation results"):
        write_artefacts(out, receipts, result.submissions, result.issues, result.values)
    issues = result.issues
    with_errors = issues.loc[issues["severity"] == "error", "submission_id"].nunique() if len(issues) else 0
    log.info(
        "validate: %d tệp / files in %.1f s: %d có lỗi / with errors, %d isolated",
        len(receipts),
        time.monotonic() - started,
        with_errors,
        len(isolated),
    )
    del result, parts, kept, issues
    memory.release()  # the batch's frames are on disk now (see transforms/memory.py)
    return str(out)


def _frames(result) -> tuple:
    return result.submissions, result.issues, result.values


def _concat(parts: list[tuple]):
    import pandas as pd

    from transforms.validate import BatchResult

    def cat(frames):
        frames = [f for f in frames if len(f)] or frames[:1]
        return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)

    return BatchResult(*(cat([p[i] for p in parts]) for i in range(3)))


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


def load(home_root: str, artefacts: list[str]) -> LoadSummary:
    """Record verdicts, issues and accepted rows (one transaction), then clear the claimed files."""
    from transforms import runlog
    from transforms.isolation import crash_point, disk_guard, read_attempts, receipts_of, write_attempts
    from transforms.warehouse import pipeline_writer

    h = home(home_root).ensure()
    started = time.monotonic()
    dirs = [Path(a) for a in artefacts or []]
    receipts = [r for d in dirs for r in receipts_of(d)]  # read once
    extra = h.extra_units if h.extra_units.exists() else None
    with pipeline_writer(h.pipeline_db, h.lock_file) as con, disk_guard("loading"):
        # One transaction per batch: memory follows the batch, not the backlog. A rerun after a
        # crash between batches reloads the recorded ones idempotently (keyed by submission_id).
        for d in dirs:
            _load_isolated(con, [d], extra)
            memory.release()
        summary = _summary(con, [r["submission_id"] for r in receipts])
    crash_point("after_load_commit")
    # the bytes are archived and recorded: the claimed copies (the file and its sidecar) can go;
    # a few threads, since a national half-year after the reform is ~7,000 unlinks, each a wait on the disk
    done = {r["path"] for r in receipts if Path(r["path"]).is_relative_to(h.claimed)}
    with ThreadPoolExecutor(RELEASE_THREADS) as pool:
        list(pool.map(intake.release_claim, sorted(done)))
    attempts = read_attempts(h.attempts_file)
    if done & set(attempts):
        write_attempts(h.attempts_file, {k: v for k, v in attempts.items() if k not in done})
    log.info("load: %s", runlog.verdict_line(summary, time.monotonic() - started))
    for s in runlog.attention(summary):
        log.info("load: %s", runlog.file_line(s))
    return summary


def _load_isolated(con, dirs: list[Path], extra) -> None:
    """Load all artefacts in one transaction; if that fails, halves of them, down to one
    submission, which is then recorded alone as rejected (file_unprocessable, its error class)."""
    from transforms.isolation import (
        bisect,
        error_class,
        receipts_of,
        split_artefact,
        unprocessable_frames,
        write_artefacts,
    )
    from transforms.load import load_artefacts

    def attempt(items: list[dict]) -> None:
        load_artefacts(con, [Path(i["dir"]) for i in items], extra_units=extra)

    def alone(item: dict, exc: BaseException) -> None:
        d = Path(item["dir"])
        receipts = receipts_of(d)
        if len(receipts) > 1:  # a whole batch failed alone: now its submissions one by one
            bisect([{"dir": str(p), "file_name": p.name} for p in split_artefact(d)], attempt, alone)
            return
        failed = write_artefacts(
            d.parent / f"{d.name}.unprocessable", receipts, *unprocessable_frames(receipts, error_class(exc))
        )
        load_artefacts(con, [failed], extra_units=extra)

    if dirs:
        bisect([{"dir": str(d), "file_name": d.name} for d in dirs], attempt, alone)


def notify(home_root: str, summary: LoadSummary) -> dict:
    """Write the senders' feedback (outbox/<sender>/<stem>.feedback.xlsx + .csv) for this run's
    submissions that were rejected or have warnings; a cleanly accepted file removes an earlier
    feedback of the same name. Issues are read from the raw layer (under the writer lock, briefly)."""
    from transforms import review, sql
    from transforms.isolation import crash_point, disk_guard
    from transforms.warehouse import pipeline_writer

    crash_point("before_notify")
    h = home(home_root).ensure()
    ids = [s["submission_id"] for s in summary.get("submissions") or []]
    with pipeline_writer(h.pipeline_db, h.lock_file) as con:
        # and whatever an earlier run recorded but did not get to write (killed, disk full)
        pending = [sid for (sid,) in sql.run(con, "notify/pending").fetchall()]
        todo = ids + [sid for sid in pending if sid not in set(ids)]
        if not todo:
            return {"written": [], "removed": []}
        found = review.reports(con, todo)
    with disk_guard("writing feedback"):
        result = _feedback(h, found)
    with pipeline_writer(h.pipeline_db, h.lock_file) as con:
        for sid, error in result["failed"]:  # its feedback cannot be written: its own verdict
            if sql.run(con, "notify/reject_unprocessable", [sid]).fetchone()[0]:
                sql.run(con, "notify/drop_values", [sid])
                sql.run(con, "load/insert_issue", _unprocessable_issue(sid, error))
        sql.run(con, "notify/mark_sent", {"ids": result["sent"]})
        retry = review.reports(con, [sid for sid, _ in result["failed"]])
    if retry:  # the sender is still told, in the simplest form that can be written
        with disk_guard("writing feedback"):
            again = _feedback(h, retry)
        with pipeline_writer(h.pipeline_db, h.lock_file) as con:
            sql.run(con, "notify/mark_sent", {"ids": again["sent"]})
        result["written"] += again["written"]
    return {k: result[k] for k in ("written", "removed")} | {"failed": [sid for sid, _ in result["failed"]]}


def _unprocessable_issue(sid: str, error: str) -> list:
    from transforms.rules import ISSUE_COLUMNS, issue

    found = issue("file_unprocessable", sid, detail=error)
    return [found[c] for c in ISSUE_COLUMNS]


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
    written = {k: v for k, v in _feedback(h, found).items() if k in ("written", "removed")}
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


def review_form(home_root: str, submission_id: str) -> dict:
    """What the review DAG's form shows for one submission: a subject naming the sender, file and
    period, the brief (``review_brief``: its problems) and the decisions the rules allow on it now,
    the only ones the form offers. Nothing allowed (a file with errors and no decision): refused."""
    from transforms import review
    from transforms.warehouse import pipeline_writer

    body = review_brief(home_root, submission_id)
    h = home(home_root).ensure()
    with pipeline_writer(h.pipeline_db, h.lock_file) as con:
        s = review.state(con, submission_id)
    allowed = review.allowed(s) if s else []
    if not allowed:
        raise review.DecisionRefused(
            "Không có quyết định nào áp dụng được cho lần nộp này (tệp có lỗi: đơn vị gửi phải sửa rồi gửi lại).",
            "No decision applies to this submission (a file with errors: the sender must fix it and send it again).",
        )
    subject = f"Thẩm định / Review: {s['sender_code']} · {s['file_name']} · {s.get('period') or '?'}"
    return {"submission_id": submission_id, "subject": subject, "body": body, "allowed": allowed}


def review_queue(home_root: str) -> list[str]:
    """The review form's list of files waiting for a validator (``review.queue_labels``)."""
    import duckdb

    from transforms import review

    h = home(home_root)
    if not h.warehouse_db.exists():
        return []
    con = duckdb.connect(str(h.warehouse_db), read_only=True)
    try:
        return review.queue_labels(*review.worklist(con))
    finally:
        con.close()


def _feedback(h, found: list[dict]) -> dict:
    from transforms.feedback import remove_feedback, write_feedback
    from transforms.isolation import error_class, is_disk_full

    written, removed, sent, failed = [], [], [], []
    for item in found:  # in the order received: of two files with the same stem, the later wins
        s, decision = item["submission"], item["decision"]
        try:
            if s["verdict"] in ("rejected", "accepted_with_warnings") or decision:
                written += [str(p) for p in write_feedback(h.outbox, s, item["issues"], decision)]
            elif s["verdict"] == "accepted":
                removed += [str(p) for p in remove_feedback(h.outbox, s["sender_code"], s["file_name"])]
            sent.append(s["submission_id"])
        except Exception as exc:  # noqa: BLE001 - one sender's feedback never stops the others'
            if is_disk_full(exc):
                raise
            log.error("feedback not written for %s", s["submission_id"], exc_info=True)
            failed.append((s["submission_id"], error_class(exc)))
    return {"written": written, "removed": removed, "sent": sent, "failed": failed}


def build_warehouse(home_root: str, incremental: bool = False) -> str:
    """Build every model into a fresh file (the rollup's ``build``) and return its path.
    ``incremental`` (a rollup that is not the nightly one): publish only what changed since the
    published warehouse (``publish_changes``, built apart and tested there) and return "", which
    ``check_warehouse`` and ``publish_warehouse`` pass on; a full build when it cannot."""
    from transforms.isolation import crash_point
    from transforms.warehouse import build, writer_lock

    h = home(home_root).ensure()
    if incremental and publish_changes(home_root, full_fallback=False)["build"] != "skipped":
        return ""
    target = h.rollup_build  # one rollup at a time (max_active_runs=1): the file is its own
    with writer_lock(h.lock_file):
        build(h.pipeline_db, target, h.extra_units)
        crash_point("inside_rollup")
    return str(target)


def is_nightly(run_type: str | None, conf: dict | None = None) -> bool:
    """A rollup run rebuilds everything when the timetable started it (the nightly run) or its
    configuration says ``{"full": true}``; one an asset event or a person started publishes only
    what changed (``build_warehouse(incremental=True)``)."""
    return str(run_type or "").lower().endswith("scheduled") or bool((conf or {}).get("full"))


def check_warehouse(path: str) -> dict:
    """Run the data tests on a built file ("" : an incremental publish, tested where it was built)."""
    from transforms.warehouse import check

    if not path:
        return {"tests": [], "failures": {}, "incremental": True}
    return check(Path(path))


def publish_warehouse(home_root: str, path: str) -> str:
    """Swap the checked build in; then, if ``DANVAN_PARQUET_DIR`` is set, export it as Parquet.
    Under the writer lock, and first patched with whatever was recorded since it was built
    (``incremental.refresh``): an ingest that published meanwhile is never rolled back. ``path``
    "": already published by ``build_warehouse``."""
    from transforms.incremental import NeedsFullBuild, refresh
    from transforms.warehouse import publish, writer_lock

    h = home(home_root).ensure()
    if not path:
        return str(h.warehouse_db)
    with writer_lock(h.lock_file):
        try:
            refresh(h.pipeline_db, Path(path), h.extra_units if h.extra_units.exists() else None)
        except NeedsFullBuild:  # models changed since it was built: it is still a full build
            log.warning("publish: %s could not be brought up to date; published as built", path)
        published = publish(Path(path), h.warehouse_db)
    _export(published)
    return str(published)


def _export(published: Path) -> None:
    from transforms.config import parquet_dir
    from transforms.export import export_parquet

    if (out := parquet_dir()) is not None:
        export_parquet(published, out)


def publish_changes(home_root: str, full_fallback: bool = True) -> dict:
    """The ingest's own publish (its ``publish`` task): what the raw layer changed since the
    published warehouse was built, rebuilt apart, tested and swapped in (transforms/incremental.py),
    under the writer lock. No published warehouse yet, or one built from other models or
    reference: a full build, check and publish instead (``full_fallback``; else nothing).
    Returns ``{"build": kind, "periods": [...], "seconds": s, "timings": {...}}``, kind one of
    incremental, full, unchanged (nothing to publish) or skipped (a full build was needed and
    ``full_fallback`` is off)."""
    from transforms import incremental
    from transforms.isolation import crash_point
    from transforms.warehouse import build, check, publish, writer_lock

    h = home(home_root).ensure()
    started = time.monotonic()
    extra = h.extra_units if h.extra_units.exists() else None
    with writer_lock(h.lock_file):
        done = incremental.publish_changes(h.pipeline_db, h.warehouse_db, h.root, extra)
        if done is None and full_fallback:
            target = build(h.pipeline_db, h.ingest_build, extra)
            crash_point("inside_rollup")  # between build and publish, as in the rollup (make chaos)
            check(target)
            publish(target, h.warehouse_db)
    if done is None:
        kind = "full" if full_fallback else "skipped"
    else:
        kind = "incremental" if done.changed else "unchanged"
    if kind in ("full", "incremental"):
        _export(h.warehouse_db)
    seconds = time.monotonic() - started
    periods = done.periods if done else []
    log.info("publish: %s build of %s in %.2f s", kind, periods or "every period", seconds)
    timings = {k: round(v, 3) for k, v in (done.timings if done else {}).items()}
    return {"build": kind, "periods": periods, "seconds": round(seconds, 3), "timings": timings}


def _summary(con, ids: list[str]) -> LoadSummary:
    counts = {"received": len(ids), "accepted": 0, "accepted_with_warnings": 0, "rejected": 0, "duplicate": 0}
    rows = []
    if ids:
        rows = sql.run(con, "pipeline/summary", [ids]).fetchall()
    keys = ("submission_id", "sender_code", "file_name", "period", "verdict", "error_count", "warning_count")
    subs = [Outcome(**dict(zip(keys, r, strict=True))) for r in rows]
    for s in subs:
        counts[s["verdict"]] = counts.get(s["verdict"], 0) + 1
    return LoadSummary(**counts, submissions=subs)


def _safe(run_key: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in run_key)[:120] or "run"
