"""Submission statuses: what each is called (Vietnamese first, then English), and the read views
behind ``danvan status``.

What a status *is* lives in one model, warehouse/models/intermediate/int_submissions_versioned.sql
(a validator's standing decision overrides the verdict; the latest accepted file is current, an
older accepted one is superseded). This module only names the statuses, for the senders' feedback,
the validators' desk and the CLI.
"""

from __future__ import annotations

import duckdb

from transforms import sql

LABELS = {
    "accepted": ("Được chấp nhận", "Accepted"),
    "accepted_with_warnings": ("Được chấp nhận, có cảnh báo", "Accepted with warnings"),
    "rejected": ("Bị từ chối", "Rejected"),
    "superseded": ("Đã được thay bằng tệp mới hơn", "Superseded by a newer file"),
    "duplicate": ("Trùng với tệp đã gửi", "Duplicate of a file already sent"),
}


def label(status: str, lang: str = "vi") -> str:
    """The status in words (``lang`` vi or en); an unknown status as it is."""
    vi, en = LABELS.get(status, (status, status))
    return vi if lang == "vi" else en


def query(con: duckdb.DuckDBPyConnection, name: str, params=None) -> tuple[list[str], list[tuple]]:
    """Column names and rows of the named statement (``warehouse/queries/<name>.sql``)."""
    cur = sql.run(con, name, params)
    if cur.description is None:  # a statement, not a query
        return [], []
    return [d[0] for d in cur.description], cur.fetchall()


def by_status(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[tuple]]:
    """(status, label vi / en, count) rows of the published warehouse."""
    _, rows = query(con, "status/by_status")
    return ["status", "label", "count"], [(s, f"{label(s)} / {label(s, 'en')}", n) for s, n in rows]


def latest(con: duckdb.DuckDBPyConnection, limit: int = 10) -> tuple[list[str], list[tuple]]:
    """The ``limit`` latest submissions of the published warehouse."""
    return query(con, "status/latest", {"limit": int(limit)})
