"""The warehouse build: models in dependency order, the as-of hierarchy, and data tests that fail."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from transforms import warehouse
from transforms.periods import FIRST_YEAR, LAST_YEAR
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
            {"province_totals_add_up": 1, "current_map_loses_and_doubles_nothing": 1},
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
        (  # a current file for a window: no mart would count it
            "update submissions set period = '2024N9' where sender_code = '08'",
            {"current_submission_periods_are_in_the_calendar": 1},
        ),
        ("delete from indicators", {"values_have_known_indicators": 6}),
        (  # due on a Sunday
            "update periods set deadline_date = date '2024-06-16' where period_code = '2024S1'",
            {"periods_deadlines_are_working_days_after_the_cutoff": 1},
        ),
        (  # the nine months without their third quarter: the half_year (S1 + Q3) and quarter tilings
            "delete from period_windows where window_code = '2024N9' and period_code = '2024Q3'",
            {"period_windows_tile_their_windows": 2},
        ),
        (  # a window's figure from part of it (2024N9's S1 alone): the view's rule broken
            "create table main.windows_copy as select * from window_totals; create or replace view window_totals"
            " as select * replace (case when window_code = '2024N9' and grain = 'half_year' then value_so_far"
            " else value end as value) from main.windows_copy",
            {"window_totals_key_is_unique_and_parts_within_the_window": 2},
        ),
    ],
)
def test_data_tests_catch_a_wrong_warehouse(built, tamper, failing):
    con = duckdb.connect(str(built))
    con.execute(tamper)
    assert warehouse.run_tests(con)["failures"] == failing
    con.close()


def test_a_warehouse_failing_a_data_test_is_refused_by_the_check(built):
    con = duckdb.connect(str(built))
    con.execute("update province_totals set value = value + 1 where province_code = '06'")
    con.close()
    with pytest.raises(warehouse.DataTestsFailed, match="province_totals_add_up"):
        check(built)


def test_the_periods_mart_is_the_reporting_calendar(built):
    """Issue 9: Decree 09's windows with their cut-off and working-day deadline; the windows are in
    the mart but never in the totals, and an analyst sums a window over one grain's tiling."""
    assert q(
        built,
        "select period_type, start_date, end_date, cutoff_date, deadline_date, regime from periods"
        " where period_code = '2024S1'",
    ) == [
        ("half_year", date(2023, 12, 15), date(2024, 6, 14), date(2024, 6, 14), date(2024, 6, 18), "decree09")
    ]
    deadlines = q(
        built,
        "select period_code, deadline_date from periods where period_code in ('2025S1', '2024', '202602', '2024N9')",
    )
    assert sorted(deadlines) == [
        ("2024", date(2024, 12, 17)), ("2024N9", date(2024, 9, 17)),
        ("2025S1", date(2025, 6, 17)), ("202602", date(2026, 2, 24)),
    ]  # fmt: skip
    assert q(built, "select period_type, count(*) from periods where is_window group by 1 order by 1") == [
        ("nine_months", LAST_YEAR - FIRST_YEAR + 1), ("phase", 3)]  # fmt: skip
    assert q(built, "select distinct period from province_totals order by 1") == [("2024S1",), ("2025S2",)]
    nine_months = q(
        built,
        "select t.province_code, sum(t.value), count(distinct t.period), any_value(n.parts)"
        " from period_windows as w join province_totals as t on t.period = w.period_code"
        " join (select window_code, grain, count(*) as parts from period_windows group by all) as n using (window_code, grain)"
        " where w.window_code = '2024N9' and w.grain = 'half_year' group by 1",
    )
    assert nine_months == [("06", 10, 1, 2)]  # 2024S1 only: its Q3 was not reported


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


CLI_1_5 = Path(sys.executable).with_name("duckdb")  # duckdb-cli from PyPI, a DuckDB 1.5 binary


def test_the_duckdb_1_5_cli_opens_the_published_file_and_runs_the_readme_queries(built):
    from bench.run import named_queries

    version = subprocess.run([str(CLI_1_5), "-version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v1.5"), version  # a 1.x reader: the one that can't open 2.0's format
    queries = named_queries()
    assert len(queries) >= 5
    for name, query in queries.items():
        run = subprocess.run(
            [str(CLI_1_5), "-readonly", "-json", str(built), "-c", query], capture_output=True, text=True
        )
        assert run.returncode == 0 and "Error" not in run.stderr, (name, run.stderr)
    totals = subprocess.run(
        [str(CLI_1_5), "-readonly", "-csv", "-noheader", str(built), "-c",
         "select period, province_code, value from province_totals where indicator_code = 'conferences_held' "
         "order by period, province_code"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert totals == ["2024S1,06,10", "2025S2,08,5"]


def test_parquet_export_reads_back_with_the_same_totals(built, tmp_path):
    import pyarrow.dataset as ds

    from transforms.export import export_parquet, marts

    out = tmp_path / "parquet"
    rows = export_parquet(built, out)
    assert sorted(rows) == sorted(marts())
    assert sorted(p.name for p in (out / "province_totals").iterdir()) == ["period=2024S1", "period=2025S2"]
    table = ds.dataset(out / "province_totals", format="parquet", partitioning="hive").to_table()
    by_arrow = sorted(
        (p, c, v)
        for p, c, i, v in zip(
            *(table.column(n).to_pylist() for n in ("period", "province_code", "indicator_code", "value")),
            strict=True,
        )
        if i == "conferences_held"
    )
    assert by_arrow == [("2024S1", "06", 10), ("2025S2", "08", 5)]
    by_duckdb = q(
        built,
        f"select sum(value) from read_parquet('{out}/province_totals/*/*.parquet', hive_partitioning = true)",
    )
    assert by_duckdb == q(built, "select sum(value) from province_totals")
    assert rows["admin_units"] == q(built, "select count(*) from admin_units")[0][0]
    assert (out / "admin_units" / "data_0.parquet").is_file()

    # A second export replaces the first whole: the link moves; the first build is kept for a
    # reader still scanning it, until the third export.
    first = out.resolve()
    export_parquet(built, out)
    second = out.resolve()
    assert second != first and first.exists()
    export_parquet(built, out)
    assert out.resolve() not in (first, second) and second.exists() and not first.exists()


def test_parquet_exports_at_once_each_finish_and_leave_a_whole_export(built, tmp_path):
    """The rollup's publish and an ingest's both export after their publish, outside the writer
    lock: each export once removed every other build folder, the other export's half-written one
    included."""
    from concurrent.futures import ThreadPoolExecutor

    from transforms.export import export_parquet, marts

    out = tmp_path / "parquet"
    with ThreadPoolExecutor(4) as pool:
        done = list(pool.map(lambda _: export_parquet(built, out), range(4)))
    assert all(sorted(rows) == sorted(marts()) for rows in done)
    assert sorted(p.name for p in out.iterdir()) == sorted(marts())
    assert q(built, f"select sum(value) from read_parquet('{out}/province_totals/*/*.parquet')") == q(
        built, "select sum(value) from province_totals"
    )


WINDOW_ROWS = [  # sender, period, unit, indicator, value: Chợ Đồn (064) in the nine months of 2024
    ("064", "2024S1", "064", "conferences_held", 4),  # a flow
    ("064", "2024Q3", "064", "conferences_held", 3),
    ("064", "2024S1", "064", "models_active", 30),  # a stock
    ("064", "2024Q3", "064", "models_active", 34),
    ("064", "2018S1", "064", "conferences_held", 5),  # one of the six halves of 2018-2020
]


def test_windows_follow_each_indicators_time_aggregation(tmp_path):
    """Issue 10: a window's figure is the sum of its tiling for a flow and the last part's for a
    stock; never a figure from part of the window (value_so_far says what the parts give)."""
    built = build(raw_pipeline(tmp_path / "pipeline.duckdb", WINDOW_ROWS), tmp_path / "warehouse.duckdb")
    assert check(built)["failures"] == {}
    found = q(
        built,
        "select window_code, unit_level, unit_code, indicator_code, value, value_so_far, parts_reported,"
        " parts_in_window from window_totals where grain = 'half_year' and breakdown = 'total' order by all",
    )
    assert found == [
        ("2018-2020", "district", "064", "conferences_held", None, 5, 1, 6),
        ("2018-2020", "province", "06", "conferences_held", None, 5, 1, 6),
        ("2018N9", "district", "064", "conferences_held", None, 5, 1, 2),  # 2018S1 + 2018Q3: Q3 missing
        ("2018N9", "province", "06", "conferences_held", None, 5, 1, 2),
        ("2024N9", "district", "064", "conferences_held", 7, 7, 2, 2),  # 2024S1 + 2024Q3
        ("2024N9", "district", "064", "models_active", 34, 34, 2, 2),  # at the window's end
        ("2024N9", "province", "06", "conferences_held", 7, 7, 2, 2),
        ("2024N9", "province", "06", "models_active", 34, 34, 2, 2),
    ]
    assert q(built, "select count(*) from window_totals where window_code = '2021-2025'") == [(0,)]
