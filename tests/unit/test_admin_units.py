"""The reference data loads with codes as text and the counts SOURCES.md publishes."""

import duckdb
import pytest

from transforms.warehouse import load_reference, run_models


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    load_reference(c)
    run_models(c, only=["stg_reference__admin_units"])
    return c


@pytest.mark.parametrize(
    ("day", "provinces", "districts", "communes"),
    [("2024-06-30", 63, 705, 10595), ("2025-06-30", 63, 696, 10035), ("2025-07-01", 34, 0, 3321)],
)
def test_counts_valid_on_a_day(con, day, provinces, districts, communes):
    rows = dict(
        con.execute(
            "select unit_level, count(*) from staging.stg_reference__admin_units "
            "where valid_from <= ?::date and (valid_to is null or valid_to > ?::date) group by 1",
            [day, day],
        ).fetchall()
    )
    assert (rows.get("province", 0), rows.get("district", 0), rows.get("commune", 0)) == (
        provinces,
        districts,
        communes,
    )


def test_codes_keep_leading_zeros(con):
    codes = {r[0] for r in con.sql("select unit_code from staging.stg_reference__admin_units").fetchall()}
    assert {"06", "064", "02020", "00001"} <= codes
    assert "2020" not in codes and "6" not in codes


def test_bac_kan_has_eight_districts_in_2024(con):
    rows = con.sql(
        "select unit_code from staging.stg_reference__admin_units where parent_code = '06' "
        "and unit_level = 'district' and valid_from <= date '2024-12-31' "
        "and (valid_to is null or valid_to > date '2024-01-01') order by 1"
    ).fetchall()
    assert [r[0] for r in rows] == ["058", "060", "061", "062", "063", "064", "065", "066"]
