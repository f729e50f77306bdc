"""The period calendar, defined once: DHIS2-style codes (``2024`` year, ``2024S1`` half,
``2024Q3`` quarter, ``202406`` month), the years the calendar holds, and each period's dates.

Everything else derives from this module: the GX suite gets ``PERIOD_RE.pattern`` as the
``period_pattern`` parameter (expectations/submissions.json), validation rejects a well-formed code
outside ``FIRST_YEAR``..``LAST_YEAR`` (``period_out_of_range``), the warehouse seeds ``raw.periods``
from ``calendar()`` (transforms/warehouse.py: ``seed_periods``; int_periods selects from it), and the
benchmark's baseline imports the pattern.

**Where a period's dates are decided: ``_bounds``, and nowhere else.** For now a period covers
calendar dates (2024S1 = 2024-01-01 .. 2024-06-30); a reporting calendar whose periods close on
the 14th changes that one function, and the warehouse follows from the seed.
"""

from __future__ import annotations

import calendar as _calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta  # placeholder: periods9 (timedelta)

# The syntax of a period code. No capture groups: GX (pandas str.contains) warns about them.
PERIOD_RE = re.compile(r"^\d{4}(?:S[12]|Q[1-4]|0[1-9]|1[0-2])?$")
# The years of the calendar, inclusive: a well-formed code outside them is not a period.
FIRST_YEAR, LAST_YEAR = 2000, 2100
KINDS = ("year", "half_year", "quarter", "month")
_PARTS = {"year": [""], "half_year": ["S1", "S2"], "quarter": [f"Q{q}" for q in range(1, 5)],
          "month": [f"{m:02d}" for m in range(1, 13)]}  # fmt: skip


@dataclass(frozen=True)
class Period:
    code: str
    kind: str  # year | half_year | quarter | month
    start: date  # first day, inclusive
    end: date  # last day, inclusive

    @property
    def deadline(self) -> date:  # placeholder: periods9
        return self.end + timedelta(days=4)  # placeholder: periods9

    @property
    def year(self) -> int:
        return int(self.code[:4])


def in_calendar(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def parse_period(code: str) -> Period | None:
    """The period a code names, or None when it is not well-formed or its year is outside the calendar."""
    text = str(code).strip().upper()
    if not PERIOD_RE.match(text) or not in_calendar(int(text[:4])):
        return None
    year, part = int(text[:4]), text[4:]
    kind = "year" if not part else {"S": "half_year", "Q": "quarter"}.get(part[0], "month")
    start, end = _bounds(year, kind, part)
    return Period(text, kind, start, end)


def calendar() -> Iterator[Period]:
    """Every period of the calendar, year by year: the year, its halves, quarters and months."""
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for kind in KINDS:
            for part in _PARTS[kind]:
                start, end = _bounds(year, kind, part)
                yield Period(f"{year}{part}", kind, start, end)


def _bounds(year: int, kind: str, part: str) -> tuple[date, date]:
    """First and last day (inclusive) of a period: THE place the calendar's dates are decided."""
    if kind == "year":
        first, months = 1, 12
    elif kind == "half_year":
        first, months = 1 + 6 * (int(part[1]) - 1), 6
    elif kind == "quarter":
        first, months = 1 + 3 * (int(part[1]) - 1), 3
    else:
        first, months = int(part), 1
    last = first + months - 1
    return date(year, first, 1), date(year, last, _calendar.monthrange(year, last)[1])
