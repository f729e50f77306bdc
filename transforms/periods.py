"""Reporting periods in DHIS2-style codes: ``2024`` year, ``2024S1`` half, ``2024Q3`` quarter,
``202406`` month. For now a period covers calendar dates; Vietnamese cut-off calendars come later.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

PERIOD_RE = re.compile(r"^(\d{4})(?:(S[12])|(Q[1-4])|(0[1-9]|1[0-2]))?$")
PERIOD_PATTERN = PERIOD_RE.pattern  # used by the GX suite (expectations/submissions.json)


@dataclass(frozen=True)
class Period:
    code: str
    kind: str  # year | half_year | quarter | month
    start: date  # first day, inclusive
    end: date  # last day, inclusive

    @property
    def year(self) -> int:
        return self.start.year


def parse_period(code: str) -> Period | None:
    """The period a code names, or None when it is not a valid period code."""
    m = PERIOD_RE.match(str(code).strip().upper())
    if not m:
        return None
    year, half, quarter, month = m.groups()
    y = int(year)
    if not 1900 <= y <= 2100:
        return None
    if half:
        first = 1 if half == "S1" else 7
        return Period(f"{y}{half}", "half_year", date(y, first, 1), _month_end(y, first + 5))
    if quarter:
        first = 3 * (int(quarter[1]) - 1) + 1
        return Period(f"{y}{quarter}", "quarter", date(y, first, 1), _month_end(y, first + 2))
    if month:
        mo = int(month)
        return Period(f"{y}{month}", "month", date(y, mo, 1), _month_end(y, mo))
    return Period(str(y), "year", date(y, 1, 1), date(y, 12, 31))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
