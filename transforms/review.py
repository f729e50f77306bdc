"""A validator's decisions on submissions: the one code path that records them.

``record_decision`` is called by ``danvan review accept|reject|reopen`` and by the
``review_submissions`` DAG (Airflow's human-in-the-loop form), both through
``transforms.pipeline.record_decision``, under the writer lock of pipeline.duckdb.

Decisions are appended to ``raw.review_decisions`` and never updated or deleted. The standing
decision on a submission is its latest one, unless that is a ``reopen``, which puts the pipeline's
verdict back. What a decision does to a submission's status is defined once, in the lifecycle
model int_submissions_versioned, which this module reads (a view on pipeline.duckdb): ``accept``
-> status ``accepted``; ``reject`` -> ``rejected``, the file stops counting and the sender's latest
accepted, not rejected file for the period is current again. The warehouse follows on the next
rollup. The statements are in warehouse/queries/review.

What is allowed: ``accept`` a file whose only problems are warnings (an error is never overridden:
the sender must fix it); ``reject`` a file that is accepted now; ``reopen`` a standing decision.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import duckdb

from transforms import sql
from transforms.status import label

DECISIONS = ("accept", "reject", "reopen")
DECISION_KEYS = ("decision_id", "decision", "reason", "decided_by", "decided_at")


class DecisionRefused(ValueError):
    """A decision the rules do not allow; the message says why, in Vietnamese then English."""

    def __init__(self, message_vi: str, message_en: str):
        super().__init__(f"{message_vi}\n{message_en}")
        self.message_vi = message_vi
        self.message_en = message_en


def state(con: duckdb.DuckDBPyConnection, submission_id: str) -> dict | None:
    """A submission as the lifecycle model holds it, with its latest and its standing decision."""
    return states(con, [submission_id]).get(submission_id)


def states(con: duckdb.DuckDBPyConnection, submission_ids: list[str]) -> dict[str, dict]:
    """``state`` for many submissions in one query (feedback for a national run asks for ~700).

    ``con``: pipeline.duckdb with its lifecycle views (``warehouse.open_pipeline``). Each state has
    ``status`` (as the submissions mart will show it), ``reviewed_verdict`` (the verdict after the
    standing decision, before superseding), ``is_accepted`` (its figures may count), ``latest_decision`` and ``decision`` (the standing one)."""
    cur = sql.run(con, "review/states", [list(submission_ids)])
    columns = [d[0] for d in cur.description]
    out = {}
    for row in cur.fetchall():
        sub = dict(zip(columns, row, strict=True))
        last = {k: sub.pop(k) for k in DECISION_KEYS}
        sub["received_at"] = _utc(sub["received_at"])  # read as UTC wall time: no pytz needed
        last["decided_at"] = _utc(last["decided_at"])
        last = last if last["decision_id"] else None
        standing = last if sub.pop("review_decision") else None
        out[sub["submission_id"]] = {**sub, "latest_decision": last, "decision": standing}
    return out


def record_decision(
    con: duckdb.DuckDBPyConnection,
    submission_id: str,
    decision: str,
    reason: str,
    decided_by: str,
    decided_at: datetime,
) -> dict:
    """Append one decision if the rules allow it, else raise DecisionRefused. Returns the row.

    ``decided_at`` is when the person decided (timezone-aware). The same decision written twice
    (a retried task) is recorded once.
    """
    if decision not in DECISIONS:
        raise DecisionRefused(
            f"Quyết định “{decision}” không hợp lệ (chỉ có accept, reject, reopen).",
            f"Unknown decision “{decision}” (accept, reject or reopen).",
        )
    reason, decided_by = (reason or "").strip(), (decided_by or "").strip()
    if not reason:
        raise DecisionRefused("Cần ghi lý do cho quyết định.", "A decision needs a reason.")
    if not decided_by:
        raise DecisionRefused("Cần ghi tên người quyết định.", "A decision needs the name of who decides.")
    if decided_at.tzinfo is None:
        raise ValueError("decided_at must be timezone-aware")
    decided_at = decided_at.astimezone(UTC)
    row = {
        "decision_id": _decision_id(submission_id, decision, reason, decided_by, decided_at),
        "submission_id": submission_id,
        "decision": decision,
        "reason": reason,
        "decided_by": decided_by,
        "decided_at": decided_at,
    }
    if sql.run(con, "review/decision_recorded", [row["decision_id"]]).fetchall():
        return row  # already recorded: a retry of the same write
    s = state(con, submission_id)
    if s is None:
        raise DecisionRefused(f"Không tìm thấy lần nộp {submission_id}.", f"No submission {submission_id}.")
    _check(s, decision, decided_at)
    sql.run(
        con,
        "review/insert_decision",
        [row[k] for k in ("decision_id", "submission_id", "decision", "reason", "decided_by", "decided_at")],
    )
    return row


def _check(s: dict, decision: str, decided_at: datetime) -> None:
    last, standing = s["latest_decision"], s["decision"]
    if last and decided_at < last["decided_at"]:
        raise DecisionRefused(
            f"Đã có quyết định muộn hơn ({_at(last)}): xem lại lần nộp rồi quyết định lại.",
            f"A later decision was recorded ({_at(last)}): look at the submission again, then decide.",
        )
    verdict = s["verdict"]
    if decision == "accept":
        if verdict == "rejected":
            raise DecisionRefused(
                f"Không thể chấp nhận: tệp có {s['error_count']} lỗi. Quyết định thẩm định không bỏ qua được "
                "lỗi; đơn vị gửi phải sửa rồi gửi lại tệp.",
                f"Cannot accept: the file has {s['error_count']} error(s). A review decision cannot override "
                "errors; the sender must fix them and send the file again.",
            )
        if verdict == "duplicate":
            raise DecisionRefused(
                f"Không thể chấp nhận: tệp trùng với lần nộp {s['duplicate_of']}; hãy quyết định trên lần nộp đó.",
                f"Cannot accept: this file duplicates submission {s['duplicate_of']}; decide on that one.",
            )
        if standing and standing["decision"] == "accept":
            raise DecisionRefused(
                f"Tệp đã được {standing['decided_by']} chấp nhận lúc {_at(standing)}.",
                f"Already accepted by {standing['decided_by']} at {_at(standing)}.",
            )
        if verdict == "accepted":
            raise DecisionRefused(
                "Không có gì để chấp nhận: tệp không có cảnh báo. Để hủy một quyết định từ chối, dùng reopen.",
                "Nothing to accept: the file has no warnings. To undo a rejection, use reopen.",
            )
    elif decision == "reject":
        if not s["is_accepted"]:
            now = s["reviewed_verdict"]
            raise DecisionRefused(
                f"Chỉ từ chối được tệp đang được chấp nhận; tệp này đang ở trạng thái “{label(now)}”.",
                f"Only an accepted file can be rejected; this one is {now}.",
            )
    elif standing is None:
        raise DecisionRefused("Không có quyết định nào để mở lại.", "There is no decision to reopen.")


def allowed(s: dict) -> list[str]:
    """The decisions the rules allow on submission state ``s`` (``state``), whatever the time: what
    the review form offers, so that a refused decision cannot be chosen."""
    later = datetime.max.replace(tzinfo=UTC)
    out = []
    for decision in DECISIONS:
        try:
            _check(s, decision, later)
        except DecisionRefused:
            continue
        out.append(decision)
    return out


def queue_labels(columns: list[str], rows: list[tuple], limit: int = 50) -> list[str]:
    """The review form's choices from ``worklist`` rows: files with warnings and no decision, newest
    first, each as ``sender · file · period · N cảnh báo/warnings · sub_...`` (the id comes last)."""
    subs = [dict(zip(columns, r, strict=True)) for r in rows]
    waiting = [s for s in subs if not s.get("reviewed_by")][::-1][:limit]
    return [
        f"{s['sender']} · {s['file']} · {s['period'] or '?'} · {s['warnings']} cảnh báo/warnings · {s['submission_id']}"
        for s in waiting
    ]


def reports(con: duckdb.DuckDBPyConnection, submission_ids: list[str]) -> list[dict]:
    """Each submission with its issues and standing decision, in the order received (for feedback)."""
    found = states(con, submission_ids)
    cur = sql.run(con, "review/issues", [list(submission_ids)])
    columns = [d[0] for d in cur.description][1:]
    issues: dict[str, list[dict]] = {}
    for sid, *rest in cur.fetchall():
        issues.setdefault(sid, []).append(dict(zip(columns, rest, strict=True)))
    ordered = sorted(found.values(), key=lambda s: (s["received_at"], s["submission_id"]))
    return [
        {"submission": s, "issues": issues.get(s["submission_id"], []), "decision": s["decision"]}
        for s in ordered
    ]


def _decision_id(*parts) -> str:
    key = "|".join(p.isoformat() if isinstance(p, datetime) else str(p) for p in parts)
    return "dec_" + hashlib.sha256(key.encode()).hexdigest()[:16]


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(tzinfo=UTC)


def _at(decision: dict) -> str:
    return decision["decided_at"].astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


# ------------------------------------------------------------------------ reading the warehouse
def describe(con: duckdb.DuckDBPyConnection, submission_id: str) -> dict | None:
    """A submission as the published warehouse shows it: the row, its issues (with fix hints from
    the rule catalogue) and its decisions. ``con``: a read-only connection to warehouse.duckdb."""
    from transforms.rules import rules

    key = {"submission_id": submission_id}
    sub = _dicts(con, "review/describe_submission", key)
    if not sub:
        return None
    issues = _dicts(con, "review/describe_issues", key)
    for i in issues:
        rule = rules().get(i["issue_code"])
        i["fix_vi"], i["fix_en"] = (rule.fix_vi, rule.fix_en) if rule else ("", "")
    decisions = _dicts(con, "review/describe_decisions", key)
    return {"submission": sub[0], "issues": issues, "decisions": decisions}


def brief_markdown(found: dict, max_issues: int = 30) -> str:
    """What a validator needs to decide, as Markdown (the body of the review DAG's form)."""
    s = found["submission"]
    lines = [
        f"**{s['file_name']}** (đơn vị gửi / sender `{s['sender_code']}`, kỳ / period `{s['period']}`)",
        "",
        f"- Trạng thái / status: **{s['status']}** ({label(s['status'])}; pipeline: {s['verdict']}); "
        f"lỗi / errors {s['error_count']}, cảnh báo / warnings {s['warning_count']}",
        f"- Data Docs: `{s['data_docs_path'] or '-'}`",
        "",
        "| dòng / row | cột / column | giá trị / value | nội dung / message | cách sửa / fix |",
        "|---|---|---|---|---|",
    ]
    for i in found["issues"][:max_issues]:
        cells = [
            "cả tệp / whole file" if i["row_number"] is None else str(i["row_number"]),
            i["column_name"] or "",
            i["value"] or "",
            f"{i['message_vi']}<br>{i['message_en']}",
            f"{i['fix_vi']}<br>{i['fix_en']}",
        ]
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    if len(found["issues"]) > max_issues:
        lines.append(
            f"\n… {len(found['issues']) - max_issues} vấn đề khác / more problems: `danvan review show`"
        )
    if found["decisions"]:
        lines += ["", "Quyết định trước / earlier decisions:"]
        lines += [
            f"- {d['decided_at']} {d['decision']} — {d['decided_by']}: {d['reason']}"
            for d in found["decisions"]
        ]
    lines += [
        "",
        "accept: chấp nhận tệp chỉ có cảnh báo / accept a file with warnings only; reject: từ chối tệp đang "
        "được chấp nhận / reject an accepted file; reopen: hủy quyết định / undo the standing decision.",
    ]
    return "\n".join(lines)


def worklist(
    con: duckdb.DuckDBPyConnection, status: str = "accepted_with_warnings", period: str | None = None
):
    """``danvan review list``: (columns, rows) of the published warehouse's submissions with
    ``status`` (``all``: any) in ``period`` (None: any), in the order received."""
    cur = sql.run(con, "review/list", {"status": status, "period": period})
    return [d[0] for d in cur.description], cur.fetchall()


def _dicts(con: duckdb.DuckDBPyConnection, name: str, params) -> list[dict]:
    cur = sql.run(con, name, params)
    columns = [d[0] for d in cur.description]
    return [dict(zip(columns, r, strict=True)) for r in cur.fetchall()]
