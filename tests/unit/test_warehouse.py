"""The warehouse build: models in dependency order, the as-of hierarchy, and data tests that fail."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from transforms import warehouse
from transforms.periods import LAST_YEAR
from transforms.warehouse import build, check, create_raw_tables, models


def _bare_warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    create_raw_tables(con)
    warehouse.load_reference(con)
    return con


def test_models_come_after_what_they_read():
    """DuckDB's binder is the judge: a view over a relation not yet created does not bind."""
    con = _bare_warehouse()
    assert len(warehouse.run_models(con, kind="view")) == len(models())
    reverse = _bare_warehouse()
    with pytest.raises(duckdb.CatalogException):  # the same models the other way round do not build
        for m in reversed(models()):
            reverse.execute(f"create view {m.relation} as {m.sql}")


def test_materialisation_is_what_each_model_header_declares(built):
    kinds = dict(
        q(
            built,
            "select schema_name || '.' || table_name, 'table' from duckdb_tables() "
            "union all select schema_name || '.' || view_name, 'view' from duckdb_views() "
            "where not internal",
        )
    )
    assert kinds["intermediate.int_submissions_versioned"] == "table"
    assert kinds["intermediate.int_periods"] == "view"
    assert kinds["staging.stg_danvan__submissions"] == "view"
    assert kinds["main.province_totals"] == "table"
    for m in models():
        assert kinds[m.relation] == re.search(r"^-- materialized: (\w+)$", m.sql, re.M).group(1), m.name


def raw_pipeline(path, rows):
    """A pipeline.duckdb with one accepted submission per (sender, period) and the given values."""
    con = duckdb.connect(str(path))
    create_raw_tables(con)
    for sender, period in {(s, p) for s, p, *_ in rows}:
        con.execute(
            "insert into raw.submissions values (?, ?, ?, 'f.csv', ?, 'a', '2024-07-01', 'csv', 'wide', "
            "'accepted', null, 0, 0, 1)",
            [f"sub_{sender}_{period}", sender, period, f"sha{sender}{period}"],
        )
    con.executemany(
        "insert into raw.unit_report_values"
        " (submission_id, row_number, unit_code, is_declared_total, indicator_code, value) values (?, 2, ?, false, ?, ?)",
        [(f"sub_{s}_{p}", unit, ind, v) for s, p, unit, ind, v in rows],
    )
    con.close()
    return path


ROWS = [
    # sender, period, unit, indicator, value
    ("064", "2024S1", "02020", "conferences_held", 2),  # commune of Chợ Đồn (064)
    ("064", "2024S1", "02023", "conferences_held", 3),
    ("064", "2024S1", "064", "conferences_held", 1),  # the district's own conferences
    ("06", "2024S1", "06", "conferences_held", 4),  # the province's own conferences
    ("064", "2024S1", "02026", "conferences_held", None),  # reported as not available
    ("08", "2025S2", "02266", "conferences_held", 5),  # after the reform: commune -> province 08
]


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("warehouse")
    return build(raw_pipeline(tmp / "pipeline.duckdb", ROWS), tmp / "warehouse.duckdb")


@pytest.fixture
def built(built_once, tmp_path):
    """A copy of one build per test: tests tamper with it."""
    return Path(shutil.copy(built_once, tmp_path / "warehouse.duckdb"))


def q(path, sql):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def test_districts_and_provinces_add_up_as_of_the_period(built):
    result = check(built)
    assert result["failures"] == {}
    assert {
        "district_totals_add_up",
        "province_totals_add_up",
        "submissions_key_is_unique_and_not_null",
        "current_submission_periods_are_in_the_calendar",
        "submission_issues_belong_to_a_submission",
    } <= set(result["tests"])
    assert result["tests"] == sorted(p.stem for p in (warehouse.WAREHOUSE_DIR / "tests").glob("*.sql"))
    assert q(built, "select district_code, value, reported_units from district_totals") == [("064", 6, 3)]
    assert sorted(q(built, "select period, province_code, value from province_totals")) == [
        ("2024S1", "06", 10),
        ("2025S2", "08", 5),
    ]
    assert q(built, "select commune_code, value from commune_totals where commune_code = '02026'") == [
        ("02026", None)
    ]
    assert q(built, "select district_code, province_code from commune_totals where period = '2025S2'") == [
        (None, "08")
    ]


@pytest.mark.parametrize(
    ("tamper", "failing"),
    [
        (
            "update province_totals set value = value + 1 where province_code = '06'",
            {"province_totals_add_up": 1},
        ),
        ("update district_totals set value = 99", {"district_totals_add_up": 1, "province_totals_add_up": 1}),
        (
            "insert into submissions select * from submissions",
            {"submissions_key_is_unique_and_not_null": 3, "one_current_submission_per_sender_and_period": 3},
        ),
        (
            "update commune_totals set commune_code = null where commune_code = '02020'",
            {"commune_totals_key_is_unique_and_not_null": 1},
        ),
        (
            "update submissions set status = 'approved' where sender_code = '06'",
            {"submissions_status_and_verdict_are_accepted_values": 1},
        ),
        (
            "insert into submission_issues (submission_id, issue_code, severity) values ('sub_gone', 'x', 'fatal')",
            {
                "submission_issues_belong_to_a_submission": 1,
                "submission_issues_severity_is_an_accepted_value": 1,
            },
        ),
        (
            "insert into review_decisions (decision_id, submission_id, decision) values ('d1', 'sub_gone', 'maybe')",
            {
                "review_decisions_belong_to_a_submission": 1,
                "review_decisions_decision_is_an_accepted_value": 1,
            },
        ),
        # the loss behind issue 7: a current file for a period the calendar does not hold
        (
            "delete from periods where period_code = '2025S2'",
            {"current_submission_periods_are_in_the_calendar": 1},
        ),
        ("delete from indicators", {"values_have_known_indicators": 6}),
    ],
)
def test_data_tests_catch_a_wrong_warehouse(built, tamper, failing):
    con = duckdb.connect(str(built))
    con.execute(tamper)
    assert warehouse.run_tests(con)["failures"] == failing
    con.close()
    with pytest.raises(warehouse.DataTestsFailed, match=next(iter(failing))):
        check(built)


def test_publish_replaces_the_file_atomically(built, tmp_path):
    published = tmp_path / "published.duckdb"
    published.write_bytes(b"old")
    reader = published.open("rb")  # a reader holding the old file keeps its snapshot
    warehouse.publish(built, published)
    assert reader.read() == b"old"
    assert q(published, "select count(*) from submissions") == [(3,)]


def test_the_read_views_of_status_and_review_list(built):
    """`danvan status` and `danvan review list` without a terminal: what they would print."""
    from transforms import review, status

    con = duckdb.connect(str(built), read_only=True)
    try:
        assert status.by_status(con) == (
            ["status", "label", "count"],
            [("accepted", "Được chấp nhận / Accepted", 3)],
        )
        columns, rows = status.latest(con, limit=2)
        assert columns == ["received_at", "sender", "file", "period", "status", "errors", "warnings"]
        assert [r[1] for r in rows] == ["08", "06"]  # the same received_at: by submission_id, descending
        columns, rows = review.worklist(con, "all", "2024S1")
        assert columns[:5] == ["submission_id", "sender", "file", "period", "status"]
        assert [r[0] for r in rows] == ["sub_064_2024S1", "sub_06_2024S1"]
        assert review.worklist(con, "accepted_with_warnings", None)[1] == []
    finally:
        con.close()


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
    assert sorted(
        q(built, "select period, senders_accepted from completeness where province_code = '08'")
    ) == [
        ("2036S2", 1),
        (f"{LAST_YEAR}S2", 1),
    ]
