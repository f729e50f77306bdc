"""The period calendar (transforms/periods.py): codes, dates, the calendar's years, and the warehouse
seed that carries exactly that calendar (no second definition of periods in SQL)."""

from datetime import date
from itertools import pairwise

import duckdb
import pytest

from transforms.periods import FIRST_YEAR, LAST_YEAR, PERIOD_RE, calendar, parse_period
from transforms.warehouse import load_reference, run_models


@pytest.mark.parametrize(
    ("code", "kind", "start", "end"),
    [
        ("2024", "year", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024S1", "half_year", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024s2", "half_year", date(2024, 7, 1), date(2024, 12, 31)),
        ("2024Q1", "quarter", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024Q4", "quarter", date(2024, 10, 1), date(2024, 12, 31)),
        ("202402", "month", date(2024, 2, 1), date(2024, 2, 29)),
        ("202506", "month", date(2025, 6, 1), date(2025, 6, 30)),
        (str(FIRST_YEAR), "year", date(FIRST_YEAR, 1, 1), date(FIRST_YEAR, 12, 31)),
        (f"{LAST_YEAR}12", "month", date(LAST_YEAR, 12, 1), date(LAST_YEAR, 12, 31)),
    ],
)
def test_valid_codes_cover_calendar_dates(code, kind, start, end):
    p = parse_period(code)
    assert (p.code, p.kind, p.start, p.end, p.year) == (code.upper(), kind, start, end, int(code[:4]))


@pytest.mark.parametrize("code", ["2024S3", "2024Q5", "202413", "24S1", "2024-06", "S1 2024", "", "2024H1"])
def test_malformed_codes_are_not_periods(code):
    assert parse_period(code) is None
    assert not PERIOD_RE.match(code.upper())


@pytest.mark.parametrize("code", [f"{FIRST_YEAR - 1}S2", f"{LAST_YEAR + 1}", "0000", "9999Q1"])
def test_well_formed_codes_outside_the_calendar_are_not_periods(code):
    assert PERIOD_RE.match(code)
    assert parse_period(code) is None


def test_the_pattern_has_no_capture_groups():
    """GX's regex expectations warn once per run for a pattern with match groups."""
    assert PERIOD_RE.groups == 0


def test_calendar_holds_every_period_of_every_year_once():
    periods = list(calendar())
    years = LAST_YEAR - FIRST_YEAR + 1
    assert len(periods) == len({p.code for p in periods}) == years * (1 + 2 + 4 + 12)
    assert all(parse_period(p.code) == p for p in periods)
    for kind in ("half_year", "quarter", "month"):  # the parts of a year tile it, day after day
        parts = [p for p in periods if p.kind == kind and p.year == 2024]
        assert parts[0].start == date(2024, 1, 1) and parts[-1].end == date(2024, 12, 31)
        assert all((b.start - a.end).days == 1 for a, b in pairwise(parts))


def test_the_warehouse_periods_are_the_calendar():
    con = duckdb.connect()
    load_reference(con)
    run_models(con, only=["stg_reference__periods", "int_periods"])
    held = con.sql(
        "select period_code, period_type, period_year, start_date, end_date from intermediate.int_periods"
    )
    assert sorted(held.fetchall()) == sorted((p.code, p.kind, p.year, p.start, p.end) for p in calendar())
