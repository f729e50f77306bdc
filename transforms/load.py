"""Recording a run's verdicts, issues and accepted rows in the raw layer, in one transaction.

Keyed by submission_id: rows of the submissions being loaded are deleted and inserted again, so a
rerun of the same artefacts gives the same tables. A file whose bytes the same sender already sent
is a `duplicate`: recorded, loads nothing.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from transforms import crosschecks, resubmission, sql


def load_artefacts(
    con: duckdb.DuckDBPyConnection, artefact_dirs: list[Path], *, extra_units: Path | None = None
) -> list[tuple]:
    """Load the parquet artefacts of validate tasks; return (submission_id, final verdict) rows.

    The crosschecks (transforms/crosschecks.py) run last, in the same transaction: they compare
    the new rows with everything held, and may add warnings to related current submissions."""
    if not artefact_dirs:
        return []
    files = {
        name: [str(d / f"{name}.parquet") for d in artefact_dirs]
        for name in ("submissions", "issues", "values")
    }
    con.begin()
    try:
        sql.run(con, "load/incoming", [files["submissions"]])
        sql.run(con, "load/delete_incoming")
        sql.run(con, "load/incoming_final")
        sql.run(con, "load/insert_submissions")
        sql.run(con, "load/insert_issues", [files["issues"]])
        sql.run(con, "load/insert_values", [files["values"]])
        if "data_docs_path" in con.table("incoming").columns:  # absent when no page was built
            sql.run(con, "load/insert_data_docs")
        resubmission.units_dropped(con, [sid for (sid,) in sql.run(con, "load/incoming_ids").fetchall()])
        crosschecks.run(
            con,
            [sid for (sid,) in sql.run(con, "load/incoming_ids").fetchall()],
            extra_units=extra_units,
        )
        verdicts = sql.run(con, "load/verdicts").fetchall()
        con.commit()
    except Exception:
        con.rollback()
        raise
    return verdicts
