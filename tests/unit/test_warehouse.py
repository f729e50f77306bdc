"""The warehouse build: models in dependency order, the as-of hierarchy, and data tests that fail."""

from __future__ import annotations

import re

import duckdb
import pytest

from transforms import warehouse
from transforms.periods import LAST_YEAR
from transforms.warehouse import build, check, create_raw_tables, models


def test_models_come_after_what_they_read():
    order = [m.name for m in models()]
    for m in models():
        for dep in re.findall(r"\b(?:staging|intermediate|main)\.(\w+)", m.sql):
            assert order.index(dep) < order.index(m.name), (dep, m.name)


def raw_pipeline(path, rows):
    """A pipeline.duckdb with one accepted submission per (sender, period) and the given values."""
    con = duckdb.connect(str(path))
    create_raw_tables(con)
    for sender, period in {(s, p) for s, p, *_ in rows}:
        con.execute(
            "insert into raw.submissions values (?, ?, ?, 'f.csv', ?, 'a', '2024-07-01', 'csv', 'wide', "
            "'accepted', null, 0, 0, 1)", [f"sub_{sender}_{period}", sender, period, f"sha{sender}{period}"])
    con.executemany(
        "insert into raw.unit_report_values values (?, 2, ?, false, ?, ?)",
        [(f"sub_{s}_{p}", unit, ind, v) for s, p, unit, ind, v in rows])
    con.close()
    return path


ROWS = [
    # sender, period, unit, indicator, value
    ("064", "2024S1", "02020", "conferences_held", 2),   # commune of Chợ Đồn (064)
    ("064", "2024S1", "02023", "conferences_held", 3),
    ("064", "2024S1", "064", "conferences_held", 1),     # the district's own conferences
    ("06", "2024S1", "06", "conferences_held", 4),       # the province's own conferences
    ("064", "2024S1", "02026", "conferences_held", None),  # reported as not available
    ("08", "2025S2", "02266", "conferences_held", 5),   # after the reform: commune -> province 08
]


@pytest.fixture
def built(tmp_path):
    return build(raw_pipeline(tmp_path / "pipeline.duckdb", ROWS), tmp_path / "warehouse.duckdb")


def q(path, sql):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def test_districts_and_provinces_add_up_as_of_the_period(built):
    assert check(built)["tests_passed"] >= 5
    assert q(built, "select district_code, value, reported_units from district_totals") == [("064", 6, 3)]
    assert sorted(q(built, "select period, province_code, value from province_totals")) == [
        ("2024S1", "06", 10), ("2025S2", "08", 5)]
    assert q(built, "select commune_code, value from commune_totals where commune_code = '02026'") == [
        ("02026", None)]
    assert q(built, "select district_code, province_code from commune_totals where period = '2025S2'") == [
        (None, "08")]


@pytest.mark.parametrize(
    ("tamper", "failing"),
    [
        ("update province_totals set value = value + 1 where province_code = '06'", "province_totals ="),
        ("update district_totals set value = 99", "district_totals ="),
        ("insert into submissions select * from submissions", "submission_id unique"),
        ("delete from periods where period_code = '2025S2'", "current_submission_periods_are_in_the_calendar"),
    ],
)
def test_data_tests_catch_a_wrong_warehouse(built, tamper, failing):
    con = duckdb.connect(str(built))
    con.execute(tamper)
    con.close()
    with pytest.raises(AssertionError, match=failing):
        check(built)


def test_publish_replaces_the_file_atomically(built, tmp_path):
    published = tmp_path / "published.duckdb"
    published.write_bytes(b"old")
    reader = published.open("rb")  # a reader holding the old file keeps its snapshot
    warehouse.publish(built, published)
    assert reader.read() == b"old"
    assert q(published, "select count(*) from submissions") == [(3,)]


def test_a_current_file_of_any_calendar_year_counts(tmp_path):
    """Issue 7: a 2036S1 file was accepted, then missing from every mart (SQL's calendar ended in
    2035). The warehouse's periods are now the validator's, up to the calendar's last year."""
    late = [("08", f"{year}S2", "02266", "conferences_held", 5) for year in (2036, LAST_YEAR)]
    built = build(raw_pipeline(tmp_path / "pipeline.duckdb", late), tmp_path / "warehouse.duckdb")
    check(built)
    assert sorted(q(built, "select period, province_code, value from province_totals")) == [
        ("2036S2", "08", 5),
        (f"{LAST_YEAR}S2", "08", 5),
    ]
    assert sorted(q(built, "select period, senders_accepted from completeness where province_code = '08'")) == [
        ("2036S2", 1),
        (f"{LAST_YEAR}S2", 1),
    ]
