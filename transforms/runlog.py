"""What a run did, in words: the lines each task logs first and the note on an ingest run.

Pure text from the tasks' own results (Vietnamese first, then English), so the task log, the
run's note in the Airflow UI (set by ``danvan/listeners.py``) and the asset event say the same.
"""

from __future__ import annotations

from transforms.records import LoadSummary, Outcome

VERDICTS = ("accepted", "accepted_with_warnings", "rejected", "duplicate")
VI = {
    "accepted": "chấp nhận",
    "accepted_with_warnings": "có cảnh báo",
    "rejected": "từ chối",
    "duplicate": "trùng",
}
NOTE_MAX_CHARS = 1000  # Airflow's dag_run_note.content is varchar(1000): PostgreSQL refuses more


def counts(summary: LoadSummary) -> dict[str, int]:
    """The run's verdict counts (the asset event's extra): every verdict, warned files included."""
    return {"received": int(summary.get("received", 0))} | {k: int(summary.get(k, 0)) for k in VERDICTS}


def verdict_line(summary: LoadSummary, seconds: float | None = None) -> str:
    c = counts(summary)
    took = f" ({seconds:.1f} s)" if seconds is not None else ""
    vi = ", ".join(f"{c[k]} {VI[k]}" for k in VERDICTS)
    en = ", ".join(f"{c[k]} {k.replace('_', ' ')}" for k in VERDICTS)
    return f"{c['received']} tệp / files{took}: {vi} / {en}"


def attention(summary: LoadSummary) -> list[Outcome]:
    """The files a person must look at: rejected first, then accepted with warnings."""
    subs = summary.get("submissions") or []
    order = {"rejected": 0, "accepted_with_warnings": 1}
    return sorted(
        (s for s in subs if s.get("verdict") in order),
        key=lambda s: (order[s["verdict"]], s.get("sender_code") or "", s.get("file_name") or ""),
    )


def file_line(s: Outcome) -> str:
    return (
        f"{s.get('verdict')}: {s.get('sender_code')}/{s.get('file_name')} kỳ/period {s.get('period') or '?'}, "
        f"{s.get('error_count') or 0} lỗi/errors, {s.get('warning_count') or 0} cảnh báo/warnings "
        f"({s.get('submission_id')})"
    )


def note_line(s: Outcome) -> str:
    """One file in the run's note, short: ``064/x.csv 2024S1: 2 lỗi/errors``."""
    n, what = (
        (s.get("error_count") or 0, "lỗi/errors")
        if s.get("verdict") == "rejected"
        else (s.get("warning_count") or 0, "cảnh báo/warnings")
    )
    return f"- {s.get('sender_code')}/{s.get('file_name')} {s.get('period') or '?'}: {n} {what}"


EMPTY_RUN = {  # what woke a run that found nothing waiting
    "scheduled": "quét định kỳ 10 phút / 10-minute sweep",
    "asset_triggered": "các tệp đã được lượt trước xử lý / files taken by an earlier run",
    "manual": "chạy tay / manual run",
}


def run_note(summary: LoadSummary | None, state: str, run_type: str = "") -> str:
    """The note of an ingest run (Markdown, shown in the grid): verdict counts and the files that
    need attention (rejected, then warned), within Airflow's 1,000 characters (past them: how many
    more, and `danvan review list`); a run with nothing waiting says so in one line (the sweep)."""
    if state != "success":
        head = "**Lỗi / failed**: xem log của tác vụ đỏ / see the red task's log"
        return head if not summary else head + "\n\n" + verdict_line(summary)
    if not summary or not summary.get("received"):
        why = EMPTY_RUN.get(run_type)
        return "Không có tệp nào chờ xử lý / nothing waiting" + (f" ({why})" if why else "")
    lines = [f"**{verdict_line(summary)}**"]
    files = attention(summary)
    tail = "Phản hồi / feedback: `outbox/<sender>/`" if files else ""
    heads = {"rejected": "Từ chối / rejected:", "accepted_with_warnings": "Có cảnh báo / with warnings:"}
    shown = 0
    for s in files:
        more = f"- ... +{len(files) - shown} : `danvan review list --status all`"
        extra = [heads.pop(s["verdict"])] if s["verdict"] in heads else []
        candidate = [*lines, *extra, note_line(s)]
        if len("\n".join([*candidate, more, tail])) > NOTE_MAX_CHARS:
            lines.append(more)
            break
        lines, shown = candidate, shown + 1
    if tail:
        lines.append(tail)
    return "\n".join(lines)[:NOTE_MAX_CHARS]
