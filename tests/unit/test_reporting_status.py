"""reporting_status and completeness on tiny data: every status, working days late, the time zone
of the deadline, two files from one sender, and a body's figures in its province (issue 9).

Arrivals are set relative to the period's deadline (transforms/periods.py) at local times in
Asia/Ho_Chi_Minh (UTC+7), on days that are working days under any Vietnamese calendar (no holiday
falls in the week after a mid-year deadline)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import duckdb
import pytest

from transforms.periods import parse_period
from transforms.warehouse import build, check, create_raw_tables

PERIOD = "2024S1"
DEADLINE = parse_period(PERIOD).deadline


def working_day_after(day: date, n: int) -> date:
    """The n-th Monday-to-Friday day after ``day``."""
    while n:
        day += timedelta(days=1)
        n -= day.weekday() < 5
    return day


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A local time in Vietnam (UTC+7, no daylight saving) as UTC."""
    return datetime.combine(day, time(hour, minute)) - timedelta(hours=7)


ON_TIME = local(DEADLINE, 23, 30)  # 16:30 UTC on the deadline: still on time locally
JUST_LATE = local(DEADLINE + timedelta(days=1), 0, 30)  # 17:30 UTC on the deadline, but the next day locally
BEFORE = local(DEADLINE - timedelta(days=2), 10)

FILES = [  # sender, file, received_at (UTC), verdict, value of conferences_held (None: no values)
    ("058", "a", ON_TIME, "accepted", 2),
    ("060", "a", JUST_LATE, "accepted", 2),  # 1 working day late
    ("061", "a", BEFORE, "rejected", None),  # the first file was rejected ...
    (
        "061",
        "b",
        local(working_day_after(DEADLINE, 3), 9),
        "accepted",
        2,
    ),  # ... the fix came 3 working days late
    ("062", "a", BEFORE, "rejected", None),  # files came, none accepted
    ("063", "a", BEFORE, "accepted", 2),  # two accepted files: the sender counts once
    ("063", "b", ON_TIME, "accepted", 3),
    ("064", "a", BEFORE, "accepted", 2),  # on time; a late resubmission does not make it late
    ("064", "b", local(working_day_after(DEADLINE, 2), 9), "accepted", 4),
    ("06", "a", BEFORE, "accepted_with_warnings", 1),  # the province's own level
    ("CQ06-03", "a", JUST_LATE, "accepted", 5),  # Bắc Kạn's police: a body, 1 working day late
    ("02020", "a", BEFORE, "accepted", 7),  # a commune may send before the reform, but is not expected
]
# 065, 066 and the other three bodies (CQ06-01, -02, -04) sent nothing: missing


@pytest.fixture(scope="module")
def warehouse_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reporting_status")
    con = duckdb.connect(str(tmp / "pipeline.duckdb"))
    create_raw_tables(con)
    for sender, name, received, verdict, value in FILES:
        sid = f"sub_{sender}_{name}"
        con.execute(
            "insert into raw.submissions values (?, ?, ?, ?, ?, 'x', ?, 'csv', 'wide', ?, null, ?, ?, 1)",
            [sid, sender, PERIOD, f"{name}.csv", sid, received.replace(tzinfo=UTC), verdict,
             int(verdict == "rejected"), int(verdict == "accepted_with_warnings")],
        )  # fmt: skip
        if value is not None:
            con.execute(
                "insert into raw.unit_report_values (submission_id, row_number, unit_code, is_declared_total,"
                " indicator_code, breakdown, value) values (?, 2, ?, false, 'conferences_held', 'total', ?)",
                [sid, sender, value],
            )
    con.close()
    built = build(tmp / "pipeline.duckdb", tmp / "warehouse.duckdb")
    assert check(built)["failures"] == {}
    return built


def q(path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def test_each_expected_sender_gets_its_status_and_working_days_late(warehouse_db):
    found = q(
        warehouse_db,
        "select sender_code, sender_kind, status, working_days_late, deadline_date "
        "from reporting_status where period = '2024S1' and province_code = '06' order by sender_code",
    )
    assert [r[:4] for r in found] == [
        ("058", "district", "on_time", 0),
        ("06", "province", "on_time", 0),
        ("060", "district", "late", 1),
        ("061", "district", "late", 3),
        ("062", "district", "rejected_only", None),
        ("063", "district", "on_time", 0),
        ("064", "district", "on_time", 0),
        ("065", "district", "missing", None),
        ("066", "district", "missing", None),
        ("CQ06-01", "body", "missing", None),
        ("CQ06-02", "body", "missing", None),
        ("CQ06-03", "body", "late", 1),
        ("CQ06-04", "body", "missing", None),
    ]
    assert {r[4] for r in found} == {DEADLINE}


def test_first_received_and_accepted_at_follow_the_files(warehouse_db):
    found = dict(
        (s, (first, accepted))
        for s, first, accepted in q(
            warehouse_db,
            "select sender_code, first_received_at, accepted_at from reporting_status where period = '2024S1'",
        )
    )
    # UTC timestamps, as every time in the marts
    assert found["061"][0] == BEFORE  # the rejected file came first
    assert found["064"] == (BEFORE, local(working_day_after(DEADLINE, 2), 9))
    assert found["062"] == (BEFORE, None)
    assert found["065"] == (None, None)
    sector = q(warehouse_db, "select sender_name, sector from reporting_status where sender_code = 'CQ06-03'")
    assert sector == [("Công an tỉnh Bắc Kạn", "an ninh")]


def test_completeness_counts_each_sender_once_and_never_exceeds_one(warehouse_db):
    assert q(
        warehouse_db,
        "select expected_senders, senders_with_files, senders_accepted, senders_on_time, senders_late, "
        "completeness_rate, timeliness_rate from completeness where period = '2024S1' and province_code = '06'",
    ) == [(13, 8, 7, 4, 3, 0.5385, 0.3077)]


def test_a_body_counts_in_its_province_never_in_a_district(warehouse_db):
    # 058 2 + 060 2 + 061 2 + 063 3 (its current file) + 064 4 + 06 1 + CQ06-03 5 + 02020 7
    assert q(
        warehouse_db,
        "select value, reported_units, expected_senders, reporting_senders from province_totals "
        "where period = '2024S1' and province_code = '06' and indicator_code = 'conferences_held'",
    ) == [(26, 8, 13, 7)]
    assert q(
        warehouse_db,
        "select body_code, sector, value from body_totals where indicator_code = 'conferences_held'",
    ) == [("CQ06-03", "an ninh", 5)]
    assert q(
        warehouse_db,
        "select district_code, expected_senders, reporting_senders from district_totals "
        "where indicator_code = 'conferences_held' order by district_code",
    ) == [("058", 1, 1), ("060", 1, 1), ("061", 1, 1), ("063", 1, 1), ("064", 1, 1)]
