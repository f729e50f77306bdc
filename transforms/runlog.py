"""What a run did, in words: the lines each task logs first and the note on an ingest run.

Pure text from the tasks' own results (Vietnamese first, then English), so the task log, the
run's note in the Airflow UI (set by ``danvan/listeners.py``) and the asset event say the same.
"""

from __future__ import annotations

VERDICTS = ("accepted", "accepted_with_warnings", "rejected", "duplicate")
VI = {
    "accepted": "chấp nhận",
    "accepted_with_warnings": "có cảnh báo",
    "rejected": "từ chối",
    "duplicate": "trùng",
}
NOTE_MAX_FILES = 20  # a national run rejects ~14: past this, the note counts and `danvan status` lists


def counts(summary: dict) -> dict[str, int]:
    """The run's verdict counts (the asset event's extra): every verdict, warned files included."""
    return {"received": int(summary.get("received", 0))} | {k: int(summary.get(k, 0)) for k in VERDICTS}


def verdict_line(summary: dict, seconds: float | None = None) -> str:
    c = counts(summary)
    took = f" ({seconds:.1f} s)" if seconds is not None else ""
    vi = ", ".join(f"{c[k]} {VI[k]}" for k in VERDICTS)
    en = ", ".join(f"{c[k]} {k.replace('_', ' ')}" for k in VERDICTS)
    return f"{c['received']} tệp / files{took}: {vi} / {en}"


def attention(summary: dict) -> list[dict]:
    """The files a person must look at: rejected first, then accepted with warnings."""
    subs = summary.get("submissions") or []
    order = {"rejected": 0, "accepted_with_warnings": 1}
    return sorted(
        (s for s in subs if s.get("status") in order),
        key=lambda s: (order[s["status"]], s.get("sender_code") or "", s.get("file_name") or ""),
    )


def file_line(s: dict) -> str:
    return (
        f"{s.get('status')}: {s.get('sender_code')}/{s.get('file_name')} kỳ/period {s.get('period') or '?'}, "
        f"{s.get('error_count') or 0} lỗi/errors, {s.get('warning_count') or 0} cảnh báo/warnings "
        f"({s.get('submission_id')})"
    )


def run_note(summary: dict | None, state: str) -> str:
    """The note of an ingest run (Markdown, shown in the grid): verdict counts and the files that
    need attention; a run with nothing waiting says so in one line (the 10-minute sweep)."""
    if state != "success":
        head = "**Lỗi / failed**: xem log của tác vụ đỏ / see the red task's log"
        return head if not summary else head + "\n\n" + verdict_line(summary)
    if not summary or not summary.get("received"):
        return "Không có tệp nào chờ xử lý / nothing waiting (quét định kỳ / sweep)"
    c = counts(summary)
    lines = [f"**{verdict_line(summary)}**"]
    files = attention(summary)
    for s in files[:NOTE_MAX_FILES]:
        lines.append(f"- {file_line(s)}")
    if len(files) > NOTE_MAX_FILES:
        lines.append(f"- ... {len(files) - NOTE_MAX_FILES} more: `danvan review list --status all`")
    if c["rejected"] + c["accepted_with_warnings"]:
        lines.append("")
        lines.append("Phản hồi cho đơn vị gửi / feedback for senders: `outbox/<sender>/`")
    return "\n".join(lines)
