"""The reporting calendar (schemas/calendar.yaml, read by transforms/periods.py): codes, dates in
both regimes, cut-offs and working-day deadlines, the windows, Vietnam's working days, and the
warehouse seeds that carry exactly that calendar (no second definition of periods in SQL)."""

from datetime import date, datetime, timedelta
from itertools import pairwise

import duckdb
import pytest
import yaml

from transforms import periods
from transforms.periods import (
    FIRST_YEAR,
    LAST_YEAR,
    PERIOD_RE,
    add_working_days,
    calendar,
    is_working_day,
    parse_period,
    working_days_between,
)
from transforms.warehouse import load_reference, run_models


@pytest.mark.parametrize(
    ("code", "kind", "start", "end"),
    [  # decree09, the default: Decree 09/2019 windows closing on the 14th
        ("2024", "year", date(2023, 12, 15), date(2024, 12, 14)),
        ("2024S1", "half_year", date(2023, 12, 15), date(2024, 6, 14)),
        ("2024s2", "half_year", date(2024, 6, 15), date(2024, 12, 14)),
        ("2024Q1", "quarter", date(2023, 12, 15), date(2024, 3, 14)),
        ("2024Q4", "quarter", date(2024, 9, 15), date(2024, 12, 14)),
        ("202401", "month", date(2023, 12, 15), date(2024, 1, 14)),
        ("202403", "month", date(2024, 2, 15), date(2024, 3, 14)),
        ("2024N9", "nine_months", date(2023, 12, 15), date(2024, 9, 14)),
        ("2021-2025", "phase", date(2020, 12, 15), date(2025, 12, 14)),
        (" 2018-2020 ", "phase", date(2017, 12, 15), date(2020, 12, 14)),
        (str(FIRST_YEAR), "year", date(FIRST_YEAR - 1, 12, 15), date(FIRST_YEAR, 12, 14)),
        (f"{LAST_YEAR}12", "month", date(LAST_YEAR, 11, 15), date(LAST_YEAR, 12, 14)),
    ],
)
def test_decree09_dates(code, kind, start, end):
    p = parse_period(code)
    assert (p.code, p.kind, p.start, p.end, p.cutoff, p.regime) == (
        code.strip().upper(), kind, start, end, end, "decree09")  # fmt: skip
    assert p.year == int(code.strip()[:4])


@pytest.mark.parametrize(
    ("code", "kind", "start", "end", "deadline"),
    [  # calendar: calendar months, chosen per deployment
        ("2024", "year", date(2024, 1, 1), date(2024, 12, 31), date(2025, 1, 3)),  # 1/1 is Tết Dương lịch
        ("2024S1", "half_year", date(2024, 1, 1), date(2024, 6, 30), date(2024, 7, 2)),
        ("2024Q1", "quarter", date(2024, 1, 1), date(2024, 3, 31), date(2024, 4, 2)),
        ("202402", "month", date(2024, 2, 1), date(2024, 2, 29), date(2024, 3, 4)),
        ("2024N9", "nine_months", date(2024, 1, 1), date(2024, 9, 30), date(2024, 10, 2)),
        ("2021-2025", "phase", date(2021, 1, 1), date(2025, 12, 31), date(2026, 1, 5)),
    ],
)
def test_calendar_regime_dates(code, kind, start, end, deadline):
    p = parse_period(code, regime="calendar")
    assert (p.kind, p.start, p.end, p.cutoff, p.deadline, p.regime) == (
        kind,
        start,
        end,
        end,
        deadline,
        "calendar",
    )


@pytest.mark.parametrize(
    ("code", "cutoff", "deadline"),
    [  # 2 working days after the cut-off, counted strictly after it, on Vietnam's working calendar
        ("2024S1", date(2024, 6, 14), date(2024, 6, 18)),  # Fri -> Mon 17 is 1, Tue 18 is 2
        ("2025S1", date(2025, 6, 14), date(2025, 6, 17)),  # Sat -> Mon 16, Tue 17
        ("2024", date(2024, 12, 14), date(2024, 12, 17)),  # Sat -> Mon 16, Tue 17
        ("202602", date(2026, 2, 14), date(2026, 2, 24)),  # Sat, inside the Tết break 14-22/2/2026
        ("202605", date(2026, 5, 14), date(2026, 5, 18)),  # Thu -> Fri 15, Mon 18
        ("202409", date(2024, 9, 14), date(2024, 9, 17)),  # Sat; 2-3/9 (National Day) are before
        ("202405", date(2024, 5, 14), date(2024, 5, 16)),  # an ordinary Tuesday
    ],
)
def test_deadlines_are_working_days_after_the_cutoff(code, cutoff, deadline):
    p = parse_period(code)
    assert (p.cutoff, p.deadline) == (cutoff, deadline)
    assert is_working_day(p.deadline) and working_days_between(p.cutoff, p.deadline) == 2


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2024, 5, 4), True),  # a make-up Saturday (for Mon 29/4/2024)
        (date(2024, 4, 29), False),  # the day off it paid for
        (date(2025, 4, 26), True),  # make-up Saturday
        (date(2026, 8, 22), True),  # make-up Saturday
        (date(2024, 4, 18), False),  # Giỗ Tổ Hùng Vương (10/3 lunar)
        (date(2026, 4, 27), False),  # Giỗ Tổ fell on a Sunday: observed on Monday
        (date(2025, 1, 29), False),  # Tết (lunar)
        (date(2026, 2, 23), True),  # the first working day after the 2026 Tết break
        (date(2024, 6, 15), False),  # an ordinary Saturday
        (date(2024, 6, 17), True),  # an ordinary Monday
    ],
)
def test_vietnams_working_days(day, working):
    assert is_working_day(day) is working


def test_announced_days_win_over_the_library(monkeypatch):
    monkeypatch.setattr(
        periods, "_announced", lambda: {date(2024, 6, 17): (False, "test: an announced day off")}
    )
    assert not is_working_day(date(2024, 6, 17))
    assert add_working_days(date(2024, 6, 14), 2) == date(2024, 6, 19)


@pytest.mark.parametrize(
    ("a", "b", "n"),
    [
        (date(2024, 6, 18), date(2024, 6, 18), 0),  # arrived on the deadline: not late
        (date(2024, 6, 18), date(2024, 6, 10), 0),  # early
        (date(2024, 6, 18), date(2024, 6, 19), 1),
        (date(2024, 6, 18), date(2024, 6, 25), 5),  # a weekend in between
        (date(2026, 2, 13), date(2026, 2, 24), 2),  # across Tết 2026
        (date(2024, 6, 18), datetime(2024, 6, 21, 23, 59), 3),  # a datetime counts by its date
        (date(1990, 1, 1), date(1990, 1, 8), 5),  # outside the precomputed span: counted day by day
    ],
)
def test_working_days_between(a, b, n):
    assert working_days_between(a, b) == n


def test_the_fast_working_calendar_is_the_librarys():
    import holidays

    vn = holidays.country_holidays("VN", years=range(2014, 2028))
    for day, working, _ in periods.working_day_rows():
        if 2014 <= day.year <= 2027:
            assert working is vn.is_working_day(day), day


@pytest.mark.parametrize(
    "code", ["2024S3", "2024Q5", "202413", "24S1", "2024-06", "S1 2024", "", "2024H1", "2024N8"]
)
def test_malformed_codes_are_not_periods(code):
    assert parse_period(code) is None
    assert not PERIOD_RE.match(code.upper())


@pytest.mark.parametrize("code", [f"{FIRST_YEAR - 1}S2", f"{LAST_YEAR + 1}", "0000", "9999Q1"])
def test_well_formed_codes_outside_the_calendar_are_not_periods(code):
    assert PERIOD_RE.match(code)
    assert parse_period(code) is None


@pytest.mark.parametrize("code", ["2024N9", "2021-2025", "2016-2020"])
def test_files_never_report_windows(code):
    """Windows are for analysts: the pattern files are checked against never matches them, and a
    phase that is not in the calendar file is no period at all."""
    assert not PERIOD_RE.match(code)
    assert (parse_period(code) is not None) is (code != "2016-2020")


def test_the_pattern_has_no_capture_groups():
    """GX's regex expectations warn once per run for a pattern with match groups."""
    assert PERIOD_RE.groups == 0


@pytest.mark.parametrize("regime", ["decree09", "calendar"])
def test_calendar_holds_every_period_of_every_year_once(regime):
    found = list(calendar(regime))
    years = LAST_YEAR - FIRST_YEAR + 1
    assert len(found) == len({p.code for p in found}) == years * (1 + 2 + 4 + 12 + 1) + 3
    assert all(parse_period(p.code, regime) == p for p in found)
    year = parse_period("2024", regime)
    for kind in ("half_year", "quarter", "month"):  # the parts of a year tile it, day after day
        parts = [p for p in found if p.kind == kind and p.year == 2024]
        assert parts[0].start == year.start and parts[-1].end == year.end
        assert all((b.start - a.end).days == 1 for a, b in pairwise(parts))
    assert all(p.cutoff <= p.deadline and is_working_day(p.deadline) for p in found)
    assert sum(p.months for p in found if p.kind == "month" and p.year == 2024) == year.months == 12


def test_the_regime_is_chosen_per_deployment(monkeypatch):
    monkeypatch.setenv("DANVAN_CALENDAR", "calendar")
    assert parse_period("2024S1").start == date(2024, 1, 1)
    monkeypatch.setenv("DANVAN_CALENDAR", "decree09")
    assert parse_period("2024S1").start == date(2023, 12, 15)
    monkeypatch.setenv("DANVAN_CALENDAR", "lunar")
    with pytest.raises(ValueError, match="unknown calendar regime 'lunar'"):
        parse_period("2024S1")


@pytest.mark.parametrize(
    ("code", "after_reform", "hierarchy_start"),
    [  # the hierarchy in force at the period's end; the 2025 reform took effect on 2025-07-01
        ("2025S1", False, date(2024, 12, 15)),
        ("2025S2", True, date(2025, 7, 1)),  # 2025-06-15 .. 2025-12-14: post-reform, its units from 1/7
        ("2025", True, date(2025, 7, 1)),
        ("202507", True, date(2025, 7, 1)),  # 2025-06-15 .. 2025-07-14
        ("202508", True, date(2025, 7, 15)),
        ("202506", False, date(2025, 5, 15)),
    ],
)
def test_the_hierarchy_is_the_one_in_force_at_the_end(code, after_reform, hierarchy_start):
    p = parse_period(code)
    assert (p.after_reform, p.hierarchy_start) == (after_reform, hierarchy_start)


def test_the_warehouse_periods_are_the_calendar():
    con = duckdb.connect()
    load_reference(con)
    run_models(
        con, only=["stg_reference__periods", "int_periods", "stg_reference__working_days", "int_working_days"]
    )
    held = con.sql(
        "select period_code, period_type, period_year, start_date, end_date, cutoff_date, deadline_date, regime,"
        " is_window, after_reform, hierarchy_start_date from intermediate.int_periods"
    )
    assert sorted(held.fetchall()) == sorted(
        (p.code, p.kind, p.year, p.start, p.end, p.cutoff, p.deadline, p.regime, p.is_window, p.after_reform,
         p.hierarchy_start)
        for p in calendar()
    )  # fmt: skip
    # working days between two dates in SQL is a subtraction of working_day_numbers, as in Python
    pairs = [(date(2024, 6, 14), date(2024, 6, 18)), (date(2026, 2, 13), date(2026, 3, 2)),
             (date(2024, 1, 1), date(2024, 12, 31)), (date(2000, 1, 1), date(2101, 12, 31))]  # fmt: skip
    numbers = dict(con.sql("select day, working_day_number from intermediate.int_working_days").fetchall())
    assert [numbers[b] - numbers[a] for a, b in pairs] == [working_days_between(a, b) for a, b in pairs]
    assert [working_days_between(a, b) for a, b in pairs[:3]] == [2, 6, 251]
    assert min(numbers) == date(FIRST_YEAR, 1, 1) and max(numbers) == date(LAST_YEAR + 1, 12, 31)
    assert len(numbers) == (date(LAST_YEAR + 1, 12, 31) - date(FIRST_YEAR, 1, 1) + timedelta(days=1)).days


@pytest.mark.parametrize(("regime", "valid_2025s1"), [("decree09", True), ("calendar", False)])
def test_validation_follows_the_regimes_dates(monkeypatch, regime, valid_2025s1):
    """A unit is valid in a period when it was valid on any day of it: Thành phố Ninh Bình (369)
    ended on 2025-01-01, inside decree09's 2025S1 (2024-12-15 .. 2025-06-14), outside the calendar
    half. 2025S2 ends after the reform in both regimes: the new hierarchy, no district."""
    from transforms.reference import Reference

    monkeypatch.setenv("DANVAN_CALENDAR", regime)
    ref = Reference()
    try:
        units = ref.period_units(["2025S1", "2025S2"])
    finally:
        ref.close()
    s1 = units[units["period_code"] == "2025S1"]
    assert ("369" in set(s1["unit_code"])) is valid_2025s1
    s2 = units[units["period_code"] == "2025S2"]
    assert (s2["unit_level"] == "district").sum() == 0 and len(s2) == 34 + 3321


def test_the_warehouse_seeds_the_deployments_regime(monkeypatch):
    monkeypatch.setenv("DANVAN_CALENDAR", "calendar")
    con = duckdb.connect()
    load_reference(con)
    row = con.sql(
        "select start_date, end_date, deadline_date, regime from raw.periods where period_code = '2024S1'"
    )
    assert row.fetchall() == [(date(2024, 1, 1), date(2024, 6, 30), date(2024, 7, 2), "calendar")]


@pytest.fixture
def calendar_file(monkeypatch, tmp_path):
    """Write a changed copy of schemas/calendar.yaml and read the calendar from it (caches cleared
    before and after: the real file is read again once the test is over)."""
    caches = (
        periods._file,
        periods._periods,
        periods._index,
        periods._announced,
        periods.working_day_rows,
        periods._running_count,
    )

    def use(change) -> None:
        raw = yaml.safe_load(periods.CALENDAR_FILE.read_text(encoding="utf-8"))
        change(raw)
        path = tmp_path / "calendar.yaml"
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        monkeypatch.setattr(periods, "CALENDAR_FILE", path)
        for f in caches:
            f.cache_clear()

    yield use
    for f in caches:
        f.cache_clear()


def test_cutoff_and_deadline_rules_per_period_type(calendar_file):
    def change(raw):
        raw["regimes"]["decree09"]["deadline_working_days"]["year"] = 5
        raw["regimes"]["decree09"]["cutoff_days_after_end"]["month"] = 3
        raw["announced"] = [{"date": date(2024, 6, 17), "working": False, "note": "test"}]

    calendar_file(change)
    year, month, half = parse_period("2024"), parse_period("202405"), parse_period("2024S1")
    assert (year.cutoff, year.deadline) == (date(2024, 12, 14), date(2024, 12, 20))  # Mon..Fri
    assert (month.cutoff, month.deadline) == (date(2024, 5, 17), date(2024, 5, 21))  # Fri + 2
    assert half.deadline == date(2024, 6, 19)  # the announced day off on Mon 17/6 moves it


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw["regimes"]["decree09"].update(close_day=31), "close_day must be 1..28"),
        (lambda raw: raw.update(default_regime="lunar"), "default_regime is not one of regimes"),
        (lambda raw: raw["regimes"]["calendar"]["deadline_working_days"].pop("default"), "needs a 'default'"),
        (lambda raw: raw.update(announced=[{"date": "soon", "working": False}]), "needs a date"),
    ],
)
def test_a_broken_calendar_file_says_what_is_wrong(calendar_file, change, message):
    calendar_file(change)
    with pytest.raises(ValueError, match=message):
        parse_period("2024S1")
