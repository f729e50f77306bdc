"""No figure lost: a file that replaces the sender's current accepted file for its period and
leaves out units that file reported gets a ``units_dropped`` warning naming them.

Runs inside load's transaction (``transforms/load.py`` calls it right before the crosschecks), on
rows already inserted; the statement is ``warehouse/queries/load/units_dropped.sql``.
"""

from __future__ import annotations

from transforms import sql
from transforms.rules import ISSUE_COLUMNS, issue


def units_dropped(con, submission_ids: list[str]) -> list[dict]:
    """Flag each of ``submission_ids`` that drops units of the file it replaces; return the issues."""
    from transforms.isolation import crash_point

    crash_point("inside_load")  # tests only: a kill -9 inside load's transaction
    if not submission_ids:
        return []
    found = [
        issue("units_dropped", sid, column="unit_code", value=units, previous=previous)
        for sid, units, previous in sql.run(
            con, "load/units_dropped", {"ids": sorted(submission_ids)}
        ).fetchall()
    ]
    for i in found:
        sql.run(con, "load/insert_issue", [i[c] for c in ISSUE_COLUMNS])
        sql.run(con, "load/add_warning", [i["submission_id"]])
    return found
