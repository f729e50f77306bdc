"""The steps of the DAGs, one function per task. JSON in, JSON out (they travel as XComs).

Work is batched: a national half-year is ~700 files, and per-file costs (a GX import, an Airflow
task start) would dominate. `plan` splits the waiting files into batches; `archive_batch` and
`validate_batch` run once per batch (mapped tasks, parallel under a distributed executor);
`load` is the single writer of the raw layer; `build_warehouse`/`check_warehouse`/
`publish_warehouse` rebuild and swap the analysts' file.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from transforms import intake
from transforms.config import home


def plan(
    home_root: str, explicit: list, *, settle_seconds: float, now: float, batch_size: int
) -> list[list[dict]]:
    """Claim settled inbox files; return everything waiting (claimed + explicit) in batches."""
    h = home(home_root).ensure()
    intake.claim_settled(h.inbox, h.claimed, min_age_s=settle_seconds, now=now)
    waiting = [c.to_dict() for c in intake.list_claimed(h.claimed)]
    for item in explicit or []:
        spec = item if isinstance(item, dict) else {"path": item}
        waiting.append(intake.explicit_file(spec["path"], spec.get("sender_code")).to_dict())
    waiting.sort(key=lambda c: (c["received_at"], c["path"]))
    size = max(1, int(batch_size))
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
    from transforms.validate import validate_batch as validate

    h = home(home_root).ensure()
    ids = "|".join(sorted(r["submission_id"] for r in receipts))
    out = h.work / _safe(run_key) / hashlib.sha256(ids.encode()).hexdigest()[:16]
    out.mkdir(parents=True, exist_ok=True)
    result = validate(receipts, h.extra_units if h.extra_units.exists() else None)
    result.submissions.to_parquet(out / "submissions.parquet", index=False)
    result.issues.to_parquet(out / "issues.parquet", index=False)
    result.values.to_parquet(out / "values.parquet", index=False)
    (out / "receipts.json").write_text(json.dumps(receipts, ensure_ascii=False, indent=1), encoding="utf-8")
    return str(out)


def load(home_root: str, artefacts: list[str]) -> dict:
    """Record verdicts, issues and accepted rows (one transaction), then clear the claimed files."""
    from transforms.load import load_artefacts
    from transforms.warehouse import open_pipeline, writer_lock

    h = home(home_root).ensure()
    dirs = [Path(a) for a in artefacts or []]
    with writer_lock(h.lock_file):
        con = open_pipeline(h.pipeline_db)
        try:
            load_artefacts(con, dirs)
            ids = _submission_ids(dirs)
            summary = _summary(con, ids)
        finally:
            con.close()
    for d in dirs:  # the bytes are archived and recorded: the claimed copies can go
        for r in json.loads((d / "receipts.json").read_text(encoding="utf-8")):
            p = Path(r["path"])
            if p.is_relative_to(h.claimed):
                p.unlink(missing_ok=True)
    return summary


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


def latest_summary(home_root: str, limit: int = 20) -> dict:
    """Counts by verdict and the latest submissions, from the raw layer (no rollup needed)."""
    from transforms.warehouse import open_pipeline, writer_lock

    h = home(home_root)
    with writer_lock(h.lock_file):
        con = open_pipeline(h.pipeline_db)
        try:
            ids = [
                r[0]
                for r in con.sql(
                    f"select submission_id from raw.submissions order by received_at desc limit {int(limit)}"
                ).fetchall()
            ]
            return _summary(con, ids)
        finally:
            con.close()


def _summary(con, ids: list[str]) -> dict:
    counts = {"received": len(ids), "accepted": 0, "accepted_with_warnings": 0, "rejected": 0, "duplicate": 0}
    rows = []
    if ids:
        rows = con.execute(
            "select submission_id, sender_code, file_name, period, verdict, error_count, warning_count "
            "from raw.submissions where submission_id in (select unnest(?)) order by received_at, submission_id",
            [ids],
        ).fetchall()
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
