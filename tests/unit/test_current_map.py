"""History on today's map (issue 12): every figure before the 2025 reform restated onto the 34
provinces and 3,321 communes, exact where the crosswalk allows and flagged where it does not.

One warehouse, built in memory from generated raw rows (no pipeline run): Bắc Kạn (06) and Thái
Nguyên (19) in 2024S1, every unit and indicator; the new Thái Nguyên in 2026S1; and every commune and
district of the country in 2025S1 for two indicators, one that follows the population of a split
commune (conferences_held) and one that, in this build, does not (documents_issued)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from tests.helpers import CODES, reference
from transforms import restatement, warehouse

FOLLOWS, STAYS = "conferences_held", "documents_issued"


def _rows() -> pd.DataFrame:
    rng = np.random.default_rng(12)
    units = reference().period_units(["2024S1", "2025S1", "2025S2", "2026S1"])  # + one 2007S1 row
    parts = []
    for period, provinces, indicators in (
        ("2024S1", ["06", "19"], CODES),
        ("2026S1", ["19"], CODES),
        ("2025S1", None, [FOLLOWS, STAYS]),
        ("2025S2", ["19"], [FOLLOWS, STAYS]),
    ):
        u = units[units["period_code"] == period]
        if provinces is not None:
            u = u[u["province_code"].isin(provinces) & (u["unit_level"] != "body")]
        else:
            u = u[u["unit_level"].isin(["commune", "district"])]
        before = period < "2025S2"
        sender = np.where((u["unit_level"] == "commune") & before, u["district_code"], u["unit_code"])
        for code in indicators:
            parts.append(
                pd.DataFrame(
                    {
                        "sender_code": sender,
                        "period": period,
                        "unit_code": u["unit_code"].to_numpy(),
                        "indicator_code": code,
                        "value": rng.integers(1, 50, len(u)),  # never 0: a dropped row always shows
                    }
                )
            )
    # Hà Tây (28), merged into Hà Nội on 2008-08-01, before the crosswalk's map: kept, unmapped
    parts.append(pd.DataFrame([("28", "2007S1", "28", FOLLOWS, 7)], columns=list(parts[0].columns)))
    rows = pd.concat(parts, ignore_index=True)
    rows["value"] = rows["value"].astype("Int64")
    rows.loc[rows.sample(5, random_state=1).index, "value"] = pd.NA  # reported as not available
    return rows


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return _rows()


@pytest.fixture(scope="module")
def con(rows):
    con = duckdb.connect()
    warehouse.create_raw_tables(con)
    con.register("rows_frame", rows)
    con.execute(
        "insert into raw.submissions (submission_id, sender_code, period, file_name, file_sha256, "
        "archive_path, received_at, file_format, shape, verdict, error_count, warning_count, unit_row_count) "
        "select distinct 'sub_' || sender_code || '_' || period, sender_code, period, 'f.csv', "
        "'sha' || sender_code || period, 'a', timestamp '2025-07-01', 'csv', 'wide', 'accepted', 0, 0, 1 "
        "from rows_frame"
    )
    con.execute(
        "insert into raw.unit_report_values (submission_id, row_number, unit_code, is_declared_total, "
        "indicator_code, value) select 'sub_' || sender_code || '_' || period, 2, unit_code, false, "
        "indicator_code, value from rows_frame"
    )
    con.unregister("rows_frame")
    warehouse.load_reference(con)
    # documents_issued does not follow the population here: the unapportioned path of every split
    population = tuple(c for c in restatement.population_indicators() if c != STAYS)
    warehouse.seed_crosswalks(con, population)
    warehouse.run_models(con)
    yield con
    con.close()


def q(con, query, params=None):
    return con.execute(query, params).fetchall() if params else con.sql(query).fetchall()


def test_the_data_tests_pass_and_the_marts_are_documented(con):
    assert warehouse.run_tests(con)["failures"] == {}
    from transforms import mart_docs

    assert mart_docs.undocumented(con) == []


def test_thai_nguyen_in_2024s1_is_old_19_plus_old_06_for_every_indicator(con, rows):
    old = rows[(rows["period"] == "2024S1")]
    expected = {code: int(old.loc[old["indicator_code"] == code, "value"].sum()) for code in CODES}
    found = q(
        con,
        "select indicator_code, value, exactness, is_restated, period_province_codes, current_province_name "
        "from province_totals_current_map where period = '2024S1' and current_province_code = '19'",
    )
    assert {code: value for code, value, *_ in found} == expected
    assert {(e, r, tuple(codes), name) for _, _, e, r, codes, name in found} == {
        ("exact", True, ("06", "19"), "Tỉnh Thái Nguyên")
    }
    as_of = dict(
        q(
            con,
            "select indicator_code, sum(value) from province_totals "
            "where period = '2024S1' and province_code in ('06', '19') group by all",
        )
    )
    assert as_of == expected
    # 2026S1 is on today's map as reported
    new = rows[rows["period"] == "2026S1"]
    assert dict(
        q(
            con,
            "select indicator_code, value from province_totals_current_map "
            "where period = '2026S1' and current_province_code = '19' and not is_restated",
        )
    ) == {code: int(new.loc[new["indicator_code"] == code, "value"].sum()) for code in CODES}


def test_a_code_reused_after_the_reform_restates_to_the_new_province(con):
    # 15 was Yên Bái and is now Lào Cai (old 10 + old 15): in 2025S1 its communes carry both old codes
    ((codes, name),) = q(
        con,
        "select distinct period_province_codes, current_province_name from province_totals_current_map "
        "where period = '2025S1' and current_province_code = '15'",
    )
    assert (codes, name) == (["10", "15"], "Tỉnh Lào Cai")
    # no old province code survives as a column: a join on it by mistake fails loudly
    columns = {
        c
        for (c,) in q(
            con,
            "select column_name from duckdb_columns() where schema_name = 'main' and table_name like '%current_map'",
        )
    }
    assert "province_code" not in columns and "commune_code" not in columns


def test_the_commune_split_matches_the_crosswalk_counts(con):
    # the crosswalk: 9,595 old communes whole, 440 split; 2,909 new communes exact, 412 receive parts
    assert q(
        con,
        "select count(distinct old_unit_code) filter (where not is_split), "
        "count(distinct old_unit_code) filter (where is_split), "
        "count(distinct old_unit_code) filter (where keeps_whole_population) "
        "from commune_crosswalk where old_unit_level = 'commune'",
    ) == [(9595, 440, 58)]
    assert q(
        con,
        "select count(distinct current_commune_code) filter (where current_commune_is_exact), "
        "count(distinct current_commune_code) filter (where not current_commune_is_exact) "
        "from commune_crosswalk",
    ) == [(2909, 412)]
    # every old commune of 2025S1 reported both indicators: where each figure went
    placements = q(
        con,
        "select indicator_code, placement, count(*) from intermediate.int_unit_report_values_current_map "
        "where period_code = '2025S1' and unit_level = 'commune' group by all order by all",
    )
    assert placements == [
        # valid in 2025S1 (from 2024-12-15) but merged away on 2025-01-01: not on the crosswalk's map
        (FOLLOWS, "off_crosswalk", 440),
        (FOLLOWS, "population_note", 58),
        (FOLLOWS, "split", 382),
        (FOLLOWS, "whole", 9595),
        (STAYS, "off_crosswalk", 440),
        (STAYS, "split", 440),
        (STAYS, "whole", 9595),
    ]
    exactness = q(
        con,
        "select indicator_code, exactness, count(*), sum(split_units) from commune_totals_current_map "
        "where period = '2025S1' group by all order by all",
    )
    # split_units of the partial communes: the crosswalk's 970 edges out of split communes, 847 of
    # them out of the 382 without the NSO note; 31 provinces have a split or off-map commune
    assert exactness == [
        (FOLLOWS, "district_level", 34, 0),
        (FOLLOWS, "exact", 2909, 0),  # 2,904 communes and the 5 island đặc khu (a whole district each)
        (FOLLOWS, "exact_by_population_note", 21, 0),
        (FOLLOWS, "partial", 391, 847),
        (FOLLOWS, "unapportioned", 31, 382),
        (STAYS, "district_level", 34, 0),
        (STAYS, "exact", 2909, 0),
        (STAYS, "partial", 412, 970),
        (STAYS, "unapportioned", 31, 440),
    ]


@pytest.mark.parametrize(
    ("tamper", "failing"),
    [
        (  # a restated figure counted twice
            f"update province_totals_current_map set value = value * 2 "
            f"where period = '2024S1' and current_province_code = '19' and indicator_code = '{FOLLOWS}'",
            {"current_map_loses_and_doubles_nothing": 1, "commune_totals_current_map_add_up": 1},
        ),
        (  # the unapportioned part dropped: the communes no longer add up to their provinces
            f"delete from commune_totals_current_map where exactness = 'unapportioned' and indicator_code = '{STAYS}'",
            {"current_map_loses_and_doubles_nothing": 2, "commune_totals_current_map_add_up": 32},
        ),
        (  # a split commune's figure put on a commune by guesswork, as well as in the unapportioned part
            "update commune_totals_current_map set current_commune_code = '00004', exactness = 'exact' "
            f"where exactness = 'unapportioned' and current_province_code = '01' and indicator_code = '{STAYS}'",
            {"commune_totals_current_map_key_is_unique_and_not_null": 1},
        ),
        (
            "update commune_crosswalk set current_province_code = '15' where old_province_code = '06'",
            {"commune_crosswalk_covers_todays_map": 1},
        ),
        (  # a window's parts counted twice
            "update window_totals_current_map set parts_reported = parts_in_window + 1 "
            "where window_code = '2021-2025' and grain = 'half_year' and current_province_code = '19' "
            f"and indicator_code = '{FOLLOWS}'",
            {"window_totals_current_map_key_is_unique_and_not_null": 1},
        ),
    ],
)
def test_the_data_tests_catch_a_wrong_restatement(con, tamper, failing):
    con.execute("begin")
    try:
        con.execute(tamper)
        assert warehouse.run_tests(con)["failures"] == failing
    finally:
        con.execute("rollback")


@pytest.mark.parametrize(
    ("code", "period", "unit"),
    [
        ("26935", "2025S1", "26929"),  # provisional code of Phường 14 (Bình Thạnh), 2025-01 .. 2025-03
        ("26935", "2024S2", None),  # before 2025-01-01 26935 was the old Phường 14 itself
        ("11353", "2022S2", "11344"),  # Cầu Đất as first published
        ("11353", "2021S2", None),  # 11353 was Cầu Đất's code then
        ("06978", "2026S1", "06970"),  # Ba Chẽ in some reprints of Decision 19/2025/QĐ-TTg
        ("06978", "2025S1", None),
        ("02020", "2024S1", None),
    ],
)
def test_alias_codes_are_read_as_their_unit_for_the_period(code, period, unit):
    from transforms.periods import parse_period

    found = restatement.alias_for(code, parse_period(period).end)
    assert (found.unit_code if found else None) == unit


def test_every_alias_names_a_unit_valid_when_the_alias_is_not(con):
    # an alias never hides a unit: while it is read as its unit's, the alias code is no unit at all
    for a in restatement.aliases():
        ((unit, alias),) = q(
            con,
            "select count(*) filter (where unit_code = $unit), count(*) filter (where unit_code = $alias) "
            "from admin_units where valid_from <= $start and (valid_to is null or valid_to > $start)",
            {"unit": a.unit_code, "alias": a.alias_code, "start": a.valid_from},
        )
        assert (unit, alias) == (1, 0), a


def test_the_population_rule_names_indicators_of_the_catalogue():
    from transforms.catalogue import indicator_codes

    assert set(restatement.population_indicators()) <= set(indicator_codes())


def test_the_readme_queries_on_todays_map_answer_for_thai_nguyen(con, rows):
    """2025 straddles the reform (S1 on the old map, S2 on today's) and the phase 2021-2025 too: on
    today's map both are sums by current_province_code."""
    from bench.run import named_queries

    queries = named_queries()

    in_06_19 = set(
        q(
            con,
            "select period_code, unit_code from intermediate.int_unit_report_values_located "
            "where province_code in ('06', '19') and period_code in ('2024S1', '2025S1')",
        )
    )

    def old(period, code):  # the old 06 and 19's figures of a period before the reform
        r = rows[(rows["period"] == period) & (rows["indicator_code"] == code)]
        return int(r.loc[[(period, u) in in_06_19 for u in r["unit_code"]], "value"].sum())

    s2 = rows[(rows["period"] == "2025S2") & (rows["indicator_code"] == FOLLOWS)]["value"].sum()
    s1 = old("2025S1", FOLLOWS)
    by_province = {r[0]: r for r in q(con, queries["year_over_year_current_map"]) if r[2] == FOLLOWS}
    code, name, _, v2024, v2025, change, *_ = by_province["19"]
    assert (code, name, v2024, v2025, change) == (
        "19",
        "Tỉnh Thái Nguyên",
        old("2024S1", FOLLOWS),
        s1 + s2,
        s1 + s2 - v2024,
    )
    assert by_province["19"][-1] == ["06", "19"]  # 2024 is the old 06 and 19
    window = {(r[0], r[2]): r for r in q(con, queries["window_totals_current_map"])}
    # 3 of the 10 halves, 2 of them restated: no value yet, the sum so far
    assert window[("19", FOLLOWS)][3:] == ("sum", None, old("2024S1", FOLLOWS) + s1 + s2, 3, 2, 10)
    communes = q(con, queries["communes_on_todays_map"])
    assert {r[4] for r in communes} >= {
        "exact",
        "partial",
        "unapportioned",
        "district_level",
        "province_level",
    }


def test_a_province_before_the_crosswalks_map_is_kept_unmapped(con):
    assert q(
        con,
        "select current_province_code, indicator_code, value, exactness, period_province_codes "
        "from province_totals_current_map where period = '2007S1'",
    ) == [(None, FOLLOWS, 7, "unmapped", ["28"])]
    assert q(
        con,
        "select current_province_code, current_commune_code, current_commune_name, value, exactness "
        "from commune_totals_current_map where period = '2007S1'",
    ) == [(None, None, "ngoài bảng chuyển đổi", 7, "unmapped")]
