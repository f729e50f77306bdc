"""The unit_report_values suite: each value as typed is a non-negative whole number or empty."""

import pytest

from tests.unit.validation_cases import Cases, rows

LONG = [
    {"period": "2024S1", "unit_code": "02020", "indicator_code": "conferences_held", "value": "2"},
    {"period": "2024S1", "unit_code": "02020", "indicator_code": "conference_attendees", "value": "80"},
    {"period": "2024S1", "unit_code": "02020", "indicator_code": "hoi_nghi", "value": "1"},
    {"period": "2024S1", "unit_code": "02020", "indicator_code": "conferences_held", "value": "3"},
]

TYPED = [  # (documents_issued of 02023 as typed, expected issues)
    ("-3", [("value_negative", 3, "documents_issued", "-3")]),
    ("- 3", [("value_negative", 3, "documents_issued", "- 3")]),
    ("12 cuộc", [("value_not_integer", 3, "documents_issued", "12 cuộc")]),
    ("1.5", [("value_not_integer", 3, "documents_issued", "1.5")]),
    ("1,234", [("value_not_integer", 3, "documents_issued", "1,234")]),
    ("0", []),
    ("", []),  # empty = not reported, never an error
    (" 7 ", []),
]


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> Cases:
    c = Cases(tmp_path_factory.mktemp("values"))
    for n, (typed, _) in enumerate(TYPED):
        c.add(f"typed{n}", rows(u02023={"documents_issued": typed}))
    c.add("empty_and_zero", rows(u02023={"documents_issued": ""}, u02020={"documents_issued": "0"}))
    c.add("long", LONG)
    return c


@pytest.mark.parametrize("n", range(len(TYPED)))
def test_values_must_be_whole_non_negative_numbers(cases, n):
    assert cases.issues(f"typed{n}") == TYPED[n][1]


def test_empty_is_null_and_zero_is_zero(cases):
    values = cases.values("empty_and_zero").set_index(["unit_code", "indicator_code"])["value"]
    assert values[("02020", "documents_issued")] == 0
    assert values.isna()[("02023", "documents_issued")]
    assert values.isna().sum() == 1  # only the empty cell


def test_long_files_check_indicator_codes_and_duplicates(cases):
    assert cases.issues("long") == [
        ("indicator_unknown", 4, "indicator_code", "hoi_nghi"),
        ("value_duplicate", 2, "conferences_held", "2"),
        ("value_duplicate", 5, "conferences_held", "3"),
    ]
