from datetime import date

import pytest

from transforms.periods import parse_period


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
    ],
)
def test_valid_codes_cover_calendar_dates(code, kind, start, end):
    p = parse_period(code)
    assert (p.kind, p.start, p.end) == (kind, start, end)


@pytest.mark.parametrize("code", ["2024S3", "2024Q5", "202413", "24S1", "2024-06", "S1 2024", "", "2024H1"])
def test_invalid_codes(code):
    assert parse_period(code) is None
