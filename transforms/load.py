"""Recording a run's verdicts, issues and accepted rows in the raw layer, in one transaction.

Keyed by submission_id: rows of the submissions being loaded are deleted and inserted again, so a
rerun of the same artefacts gives the same tables. A file whose bytes the same sender already sent
is a `duplicate`: recorded, loads nothing.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from transforms import crosschecks, resubmission

RAW_SUBMISSION_COLUMNS = (
    "submission_id",
    "sender_code",
    "period",
    "file_name",
    "file_sha256",
    "archive_path",
    "received_at",
    "file_format",
    "shape",
    "verdict",
    "duplicate_of",
    "error_count",
    "warning_count",
    "unit_row_count",
)


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
    con.execute("begin transaction")
    try:
        con.execute(
            "create or replace temp table incoming as select * from read_parquet(?, union_by_name=true)",
            [files["submissions"]],
        )
        for table in ("submission_issues", "unit_report_values", "submissions"):
            con.execute(
                f"delete from raw.{table} where submission_id in (select submission_id from incoming)"
            )
        con.execute("""
            create or replace temp table incoming_final as
            with everything as (
                select submission_id, sender_code, file_sha256, received_at from raw.submissions
                union all
                select submission_id, sender_code, file_sha256, cast(received_at as timestamptz) from incoming
            ),
            firsts as (
                select sender_code, file_sha256,
                       arg_min(submission_id, (received_at, submission_id)) as original_id
                from everything group by all
            )
            select incoming.*,
                   case when firsts.original_id <> incoming.submission_id then firsts.original_id end
                       as duplicate_of_id
            from incoming
            left join firsts
                on firsts.sender_code is not distinct from incoming.sender_code
               and firsts.file_sha256 = incoming.file_sha256
        """)
        con.execute("""
            insert into raw.submissions
            select submission_id, sender_code, period, file_name, file_sha256, archive_path,
                   cast(received_at as timestamptz), file_format, shape,
                   case when duplicate_of_id is not null then 'duplicate' else verdict end,
                   duplicate_of_id,
                   case when duplicate_of_id is not null then 0 else error_count end,
                   case when duplicate_of_id is not null then 0 else warning_count end,
                   unit_row_count
            from incoming_final
        """)
        keep = "(select submission_id from incoming_final where duplicate_of_id is null)"
        con.execute(
            f"""
            insert into raw.submission_issues
            select submission_id, row_number, column_name, unit_code, issue_code, severity, value,
                   message_vi, message_en
            from read_parquet(?, union_by_name=true) where submission_id in {keep}
        """,
            [files["issues"]],
        )
        con.execute(
            f"""
            insert into raw.unit_report_values
            select submission_id, row_number, unit_code, is_declared_total, indicator_code, value
            from read_parquet(?, union_by_name=true) where submission_id in {keep}
        """,
            [files["values"]],
        )
        con.execute(
            "delete from raw.submission_data_docs where submission_id in (select submission_id from incoming)"
        )
        if "data_docs_path" in con.sql("from incoming limit 0").columns:  # absent when no page was built
            con.execute(
                "insert into raw.submission_data_docs select submission_id, data_docs_path "
                "from incoming where data_docs_path is not null"
            )
        resubmission.units_dropped(
            con, [r[0] for r in con.sql("select submission_id from incoming").fetchall()]
        )
        crosschecks.run(
            con,
            [r[0] for r in con.sql("select submission_id from incoming").fetchall()],
            extra_units=extra_units,
        )
        verdicts = con.sql(
            "select submission_id, verdict from raw.submissions "
            "where submission_id in (select submission_id from incoming)"
        ).fetchall()
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return verdicts
