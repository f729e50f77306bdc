"""The benchmark's DuckDB-only baseline (bench/baseline.py) must check and add up like the pipeline,
or its time is not a fair floor: exact totals on a hand-made Bắc Kạn sample, exact issues on a bad file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from bench import baseline
from transforms.catalogue import indicator_codes

CODES = indicator_codes()


def write_csv(inbox: Path, sender: str, rows: list[dict], period: str = "2024S1") -> Path:
    """A template CSV: every indicator column, 0 unless given (0 satisfies every relation rule)."""
    path = inbox / sender / f"bao-cao-dan-van-{period}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [",".join(("period", "unit_code", "unit_name", *CODES))]
    for r in rows:
        lines.append(",".join([period, r["unit_code"], "x", *(str(r.get(c, 0)) for c in CODES)]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    write_csv(
        inbox,
        "058",
        [  # Thành phố Bắc Kạn: its own row, two wards, a declared total (never added)
            {"unit_code": "058", "documents_issued": 2},
            {"unit_code": "01834", "documents_issued": 5, "conferences_held": 1, "conference_attendees": 40},
            {"unit_code": "01837", "documents_issued": 7},
            {"unit_code": "TOTAL", "documents_issued": 14, "conferences_held": 1, "conference_attendees": 40},
        ],
    )
    write_csv(
        inbox,
        "060",
        [  # Pác Nặm: its own row and one commune
            {"unit_code": "060", "documents_issued": 1},
            {"unit_code": "01858", "documents_issued": 3, "conferences_held": 2, "conference_attendees": 90},
        ],
    )
    return inbox


def totals(con, table: str, key: str, indicator: str) -> dict:
    return dict(
        con.execute(f"select {key}, value from {table} where indicator_code = ?", [indicator]).fetchall()
    )


def test_rolls_up_two_files_to_district_and_province(inbox: Path):
    con = duckdb.connect()
    counts = baseline.run(con, f"{inbox}/*/*.csv")

    assert counts["files"] == 2 and counts["rejected_files"] == 0 and counts["issues"] == 0
    assert totals(con, "district_totals", "district_code", "documents_issued") == {"058": 14, "060": 4}
    assert totals(con, "district_totals", "district_code", "conference_attendees") == {"058": 40, "060": 90}
    assert totals(con, "province_totals", "province_code", "documents_issued") == {"06": 18}
    assert totals(con, "province_totals", "province_code", "conferences_held") == {"06": 3}
    assert con.execute(
        "select reported_units from district_totals where district_code = '058' "
        "and indicator_code = 'documents_issued'"
    ).fetchall() == [(3,)]


def test_flags_bad_rows_and_leaves_the_file_out(inbox: Path):
    write_csv(
        inbox,
        "061",
        [  # Ba Bể: a stray commune of Pác Nặm, a minus sign, recognised > registered, a wrong total
            {"unit_code": "061", "documents_issued": 9},
            {"unit_code": "Tổng cộng", "documents_issued": 99},
            {"unit_code": "01858", "documents_issued": 3},
            {"unit_code": "01888", "documents_issued": -3},
            {
                "unit_code": "01891",
                "models_registered": 3,
                "models_recognized": 5,
                "models_recognized_collective": 5,
            },
        ],
    )
    (inbox / "062").mkdir()
    (inbox / "062" / "bao-cao-dan-van-2024S1.csv").write_bytes(b"")
    write_csv(inbox, "063", [{"unit_code": "063"}], period="1999S2")  # well-formed, before the calendar
    con = duckdb.connect()
    counts = baseline.run(con, f"{inbox}/*/*.csv")

    issues = con.execute(
        "select regexp_extract(filename, '(\\d+)/[^/]+$', 1), unit_code, rule from issues order by all"
    ).fetchall()
    assert issues == [
        ("061", "01858", "unit_outside_sender"),
        ("061", "01888", "value_negative"),  # once: value_not_integer lets a minus sign through
        ("061", "01891", "models_recognized_exceeds_registered"),
        ("061", "TOTAL", "total_mismatch"),
        ("062", None, "file_empty"),
        ("063", None, "period_out_of_range"),
    ]
    assert counts["files"] == 5 and counts["rejected_files"] == 3
    assert totals(con, "province_totals", "province_code", "documents_issued") == {"06": 18}
    assert set(totals(con, "district_totals", "district_code", "documents_issued")) == {"058", "060"}
