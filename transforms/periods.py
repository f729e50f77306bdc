"""The reporting calendar, defined once in ``schemas/calendar.yaml`` and read here: DHIS2-style codes
(``2024`` year, ``2024S1`` half, ``2024Q3`` quarter, ``202406`` month), the analysts' windows
(``2024N9`` the nine months, phases such as ``2021-2025``), the years the calendar holds, each
period's dates, cut-off and deadline, and Vietnam's working days.

Everything else derives from this module: the GX suite gets ``PERIOD_RE.pattern`` as the
``period_pattern`` parameter (expectations/submissions.json; files report the familiar codes only),
validation rejects a well-formed code outside ``FIRST_YEAR``..``LAST_YEAR`` (``period_out_of_range``),
the warehouse seeds ``raw.periods`` from ``calendar()`` and ``raw.working_days`` from
``working_day_rows()`` (transforms/warehouse.py), and the benchmark's baseline imports the pattern.

**Where a period's dates are decided: ``_bounds``, reading the regime of the calendar file, and
nowhere else.** The regime is per deployment (``DANVAN_CALENDAR``, transforms/config.py; default
``decree09``: 2024S1 = 2023-12-15 .. 2024-06-14); every function takes ``regime=`` explicitly too.
"""

from __future__ import annotations

import calendar as _calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

import yaml

from transforms.config import CALENDAR_FILE, calendar_regime

# The syntax of a period code a file may declare. No capture groups: GX (pandas str.contains) warns
# about them. The windows (2024N9, 2021-2025) are for analysts and never match it.
PERIOD_RE = re.compile(r"^\d{4}(?:S[12]|Q[1-4]|0[1-9]|1[0-2])?$")
# The years of the calendar, inclusive: a well-formed code outside them is not a period.
FIRST_YEAR, LAST_YEAR = 2000, 2100
KINDS = ("year", "half_year", "quarter", "month")  # what files report
WINDOW_KINDS = ("nine_months", "phase")  # what analysts ask for


@cache
def _file() -> dict:
    raw = yaml.safe_load(CALENDAR_FILE.read_text(encoding="utf-8"))
    problems = []
    if raw.get("default_regime") not in raw.get("regimes", {}):
        problems.append("default_regime is not one of regimes")
    for name, r in raw.get("regimes", {}).items():
        if r.get("close_day") != "last" and r.get("close_day") not in range(1, 29):
            problems.append(f"regimes.{name}.close_day must be 1..28 or 'last'")
        for key in ("cutoff_days_after_end", "deadline_working_days"):
            rule = r.get(key)
            if not isinstance(rule, dict) or not all(isinstance(n, int) and n >= 0 for n in rule.values()):
                problems.append(f"regimes.{name}.{key} must map period types to whole numbers >= 0")
            elif "default" not in rule:
                problems.append(f"regimes.{name}.{key} needs a 'default'")
    for entry in raw.get("announced") or []:
        if not (isinstance(entry.get("date"), date) and isinstance(entry.get("working"), bool)):
            problems.append(f"announced entry {entry!r} needs a date and working: true|false")
    if not isinstance(raw.get("reform_date"), date):
        problems.append("reform_date must be a date")
    if problems:
        raise ValueError(f"{CALENDAR_FILE}: " + "; ".join(problems))
    return raw


# The 2025 reform (districts abolished): a period whose end is on or after it is post-reform.
REFORM_DATE: date = _file()["reform_date"]


@dataclass(frozen=True)
class Period:
    code: str
    kind: str  # year | half_year | quarter | month | nine_months | phase
    start: date  # first day, inclusive
    end: date  # last day, inclusive
    cutoff: date  # the last day whose activity the report counts
    deadline: date  # the day the report is due: N working days after the cut-off
    regime: str  # the calendar regime that gave these dates

    @property
    def year(self) -> int:
        return int(self.code[:4])

    @property
    def months(self) -> int:
        """How many months the period covers (2024S1: 6; a five-year phase: 60)."""
        after = self.end + timedelta(days=1)
        return (after.year - self.start.year) * 12 + after.month - self.start.month

    @property
    def is_window(self) -> bool:
        """A window for analysts (nine months, a phase): files never report it."""
        return self.kind in WINDOW_KINDS

    @property
    def after_reform(self) -> bool:
        """Its end is on or after the 2025 reform: the new hierarchy (no districts) is in force."""
        return self.end >= REFORM_DATE

    @property
    def hierarchy_start(self) -> date:
        """The first day whose units are in the period's hierarchy: its start, or the reform date for
        a period that straddles it (2025S2 under decree09 starts 2025-06-15, before the reform)."""
        return REFORM_DATE if self.start < REFORM_DATE <= self.end else self.start


def regime_name(regime: str | None = None) -> str:
    """``regime``, else the deployment's (``$DANVAN_CALENDAR``), else the file's default."""
    name = regime or calendar_regime() or _file()["default_regime"]
    if name not in _file()["regimes"]:
        raise ValueError(f"unknown calendar regime {name!r}: one of {sorted(_file()['regimes'])}")
    return name


def regimes() -> list[str]:
    return sorted(_file()["regimes"])


def in_calendar(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def parse_period(code: str, regime: str | None = None) -> Period | None:
    """The period a code names (a file's period or an analyst's window), or None when it is not a
    period of the calendar: malformed, or its year outside the calendar."""
    return _index(regime_name(regime)).get(str(code).strip().upper())


def calendar(regime: str | None = None) -> Iterator[Period]:
    """Every period of the calendar, year by year (the year, its halves, quarters, months and its
    nine months), then the phases."""
    return iter(_periods(regime_name(regime)))


@cache
def _index(name: str) -> dict[str, Period]:
    return {p.code: p for p in _periods(name)}


@cache
def _periods(name: str) -> tuple[Period, ...]:
    types = _file()["period_types"]
    found = [
        _period(f"{year}{part}", kind, *_bounds(year, kind, part, name), name)
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
        for kind in (*KINDS, "nine_months")
        for part in types[kind]
    ]
    for code, (first, last) in _file()["phases"].items():
        start, end = _bounds(first, "year", "", name)[0], _bounds(last, "year", "", name)[1]
        found.append(_period(code, "phase", start, end, name))
    return tuple(found)


def _period(code: str, kind: str, start: date, end: date, name: str) -> Period:
    regime = _file()["regimes"][name]
    cutoff_rule, deadline_rule = regime["cutoff_days_after_end"], regime["deadline_working_days"]
    cutoff = end + timedelta(days=cutoff_rule.get(kind, cutoff_rule["default"]))
    deadline = add_working_days(cutoff, deadline_rule.get(kind, deadline_rule["default"]))
    return Period(code, kind, start, end, cutoff, deadline, name)


def _bounds(year: int, kind: str, part: str, regime: str) -> tuple[date, date]:
    """First and last day (inclusive) of a period: THE place the calendar's dates are decided.
    A part covers months first..last of its year (the file's period_types); the regime's close_day
    turns them into dates: "last" = calendar months, 14 = from the 15th of the month before the
    first to the 14th of the last (Decree 09/2019)."""
    first, last = _file()["period_types"][kind][part]
    close = _file()["regimes"][regime]["close_day"]
    if close == "last":
        return date(year, first, 1), date(year, last, _calendar.monthrange(year, last)[1])
    before = (year - 1, 12) if first == 1 else (year, first - 1)
    return date(*before, close) + timedelta(days=1), date(year, last, close)


# --- Vietnam's working days -------------------------------------------------------------------

_SPAN = (date(FIRST_YEAR, 1, 1), date(LAST_YEAR + 1, 12, 31))  # precomputed; others computed on demand


@cache
def _holidays():
    import holidays  # here, not at import: only the calendar's users pay for it

    return holidays.country_holidays("VN", years=range(FIRST_YEAR, LAST_YEAR + 2), language="vi")


@cache
def _announced() -> dict[date, tuple[bool, str]]:
    return {e["date"]: (e["working"], str(e.get("note") or "")) for e in _file().get("announced") or []}


def is_working_day(day: date) -> bool:
    """A working day in Vietnam: the announced changes of the calendar file, else the `holidays`
    package (Monday-Friday less public holidays and days off in lieu, plus make-up Saturdays)."""
    day = _as_date(day)
    if day in _announced():
        return _announced()[day][0]
    return _holidays().is_working_day(day)


def add_working_days(day: date, n: int) -> date:
    """The n-th working day strictly after ``day`` (n = 0: ``day`` itself). Cut-off Fri 14/6/2024,
    n = 2: Mon 17/6 is the first, Tue 18/6 the second."""
    day = _as_date(day)
    while n > 0:
        day += timedelta(days=1)
        n -= is_working_day(day)
    return day


def working_days_between(a: date, b: date) -> int:
    """Working days after ``a`` up to and including ``b`` (0 when b <= a): how late a file that
    arrived on ``b`` is for a deadline ``a``. Pass local (Asia/Ho_Chi_Minh) dates; a datetime counts
    by its date."""
    a, b = _as_date(a), _as_date(b)
    if b <= a:
        return 0
    if _SPAN[0] <= a and b <= _SPAN[1]:
        running = _running_count()
        return running[b.toordinal() - _SPAN[0].toordinal()] - running[a.toordinal() - _SPAN[0].toordinal()]
    return sum(is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


@cache
def _running_count() -> tuple[int, ...]:
    """Working days from the span's first day up to each day of the span, inclusive."""
    total, out = 0, []
    for _, working, _ in working_day_rows():
        total += working
        out.append(total)
    return tuple(out)


@cache
def working_day_rows() -> tuple[tuple[date, bool, str | None], ...]:
    """(day, is_working_day, note) for every day of FIRST_YEAR..LAST_YEAR + 1 (the seed of
    raw.working_days): the note names the holiday, the make-up Saturday or the announcement."""
    vn, announced = _holidays(), _announced()
    # the library's is_working_day, day by day, without its per-call key parsing (37,000 days)
    names, makeup, weekend = dict(vn.items()), set(vn.weekend_workdays), set(vn.weekend)
    first, days = _SPAN[0], (_SPAN[1] - _SPAN[0]).days + 1
    rows = []
    for i in range(days):
        day = first + timedelta(days=i)
        if day in announced:
            working, note = announced[day]
        elif day.weekday() in weekend:
            working = day in makeup
            note = names.get(day) or ("Ngày làm bù (thứ Bảy đi làm)" if working else None)
        else:
            working, note = day not in names, names.get(day)
        rows.append((day, working, note))
    return tuple(rows)


def _as_date(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


_ROMAN = ("I", "II", "III", "IV")


def label_vi(code: str) -> str:
    """A period named as Vietnamese reports name it ("báo cáo 6 tháng đầu năm 2024"): the one place
    the wording lives (reminders, chase lists, and later the templates and the province's report).
    A code that is not a period is returned as given."""
    p = parse_period(code)
    if p is None:
        return str(code)
    part = p.code[4:]
    if p.kind == "year":
        return f"năm {p.year}"
    if p.kind == "half_year":
        return f"6 tháng {'đầu' if part == 'S1' else 'cuối'} năm {p.year}"
    if p.kind == "quarter":
        return f"quý {_ROMAN[int(part[1]) - 1]} năm {p.year}"
    if p.kind == "nine_months":
        return f"9 tháng đầu năm {p.year}"
    if p.kind == "phase":
        return f"giai đoạn {p.code}"
    return f"tháng {int(part)} năm {p.year}"
