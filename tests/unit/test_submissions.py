"""The submissions suite (one row per file) and the readers' unreadable-file codes."""

import pytest

from tests.unit.validation_cases import (
    CODES,
    GOOD,
    Cases,
    rows,
)
from transforms.periods import FIRST_YEAR, LAST_YEAR

STRUCTURAL = [  # (records, header, sender, expected issues): each rejects the file
    (rows(period="2024H1"), None, "064", [("period_invalid", None, "period", "2024H1")]),
    # windows are for analysts: a file never reports the nine months or a phase (issue 9)
    (rows(period="2024N9"), None, "064", [("period_invalid", None, "period", "2024N9")]),
    (rows(period="2021-2025"), None, "064", [("period_invalid", None, "period", "2021-2025")]),
    (rows(period="1999S2"), None, "064", [("period_out_of_range", None, "period", "1999S2")]),
    (rows(period="2101"), None, "064", [("period_out_of_range", None, "period", "2101")]),
    (
        rows()[:1] + rows(period="2024S2")[1:],
        None,
        "064",
        [("period_mixed", None, "period", "2024S1, 2024S2")],
    ),
    (rows(period=""), None, "064", [("period_missing", None, "period", "0")]),
    (rows(), None, "", [("sender_missing", None, "(sender)", None)]),
    (rows(), None, "999", [("sender_unknown", None, "(sender)", "999")]),
    # the reporting chain of the period decides who sends: no districts after the reform, and a
    # body only while it is registered (Hà Nội's police: from 2025-07-01)
    (
        rows(period="2026S1", units=["064"]),
        None,
        "064",
        # one round trip: the row checks still run (no districts in 2026S1)
        [("sender_unknown", None, "(sender)", "064"), ("unit_unknown", 2, "unit_code", "064")],
    ),
    (
        rows(units=["CQ01-03"]),
        None,
        "CQ01-03",
        [("sender_unknown", None, "(sender)", "CQ01-03"), ("unit_unknown", 2, "unit_code", "CQ01-03")],
    ),
    (rows(), ["period", "ma_xa", *CODES], "064", [("columns_missing", None, "(columns)", "unit_code")]),
    ([], ["period", "unit_code", *CODES], "064", [("file_no_rows", None, "(rows)", "0")]),
]


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> Cases:
    c = Cases(tmp_path_factory.mktemp("submissions"))
    for n, (records, header, sender, _) in enumerate(STRUCTURAL):
        c.add(f"structural{n}", records, header or ["period", "unit_code", *CODES], sender)
    for key, sender in AFTER_THE_REFORM.items():
        c.add(key, rows(period="2026S1", units=[sender]), sender=sender)
    c.add("out_of_range", rows(period="2204S1"))
    c.add("nobody", rows(), sender="")
    c.add("stranger", rows(), sender="999")
    records = [{**r, "ghi_chu": "x"} for r in rows()]
    c.add(
        "columns",
        records,
        ["period", "unit_code", *[k for k in CODES if k != "hot_issues_tracked"], "ghi_chu"],
    )
    c.add_bytes("broken", ".xlsx", b"PK\x03\x04garbage")
    c.add("good", rows())
    for key, (records, header, sender, _) in ONE_ROUND_TRIP.items():
        c.add(key, records, header, sender)
    return c


# One round trip (issue 11): the row checks run whatever is wrong with the file's period, sender or
# columns; units are judged only against a period of the calendar and a sender of its chain.
ONE_ROUND_TRIP = {
    "bad_period": (
        rows(period="2024H1", u02023={"documents_issued": -1}),
        None,
        "064",
        [("period_invalid", None, "period", "2024H1"), ("value_negative", 3, "documents_issued", "-1")],
    ),
    "no_period_column": (
        [{k: v for k, v in r.items() if k != "period"} for r in rows(u02020={"conferences_held": "x"})],
        ["unit_code", *CODES],
        "064",
        [("columns_missing", None, "(columns)", "period"), ("value_not_integer", 2, "conferences_held", "x")],
    ),
    "stranger_with_bad_rows": (
        rows(u02023={"models_recognized": 99}),
        None,
        "999",
        [
            ("sender_unknown", None, "(sender)", "999"),
            ("models_recognized_exceeds_registered", 3, "models_recognized", "99"),
        ],
    ),
}


@pytest.mark.parametrize("key", ONE_ROUND_TRIP)
def test_one_round_trip_row_checks_run_when_the_file_is_wrong(cases, key):
    assert cases.issues(key) == ONE_ROUND_TRIP[key][3]
    assert cases.verdict(key) == "rejected"


# after the reform each commune (Xã Chợ Đồn, Thái Nguyên), the province and its bodies send their own row
AFTER_THE_REFORM = {"commune": "02020", "province": "19", "body": "CQ19-03"}


@pytest.mark.parametrize("key", AFTER_THE_REFORM)
def test_after_the_reform_communes_provinces_and_bodies_send_their_own_row(cases, key):
    assert cases.issues(key) == []
    assert cases.verdict(key) == "accepted"


@pytest.mark.parametrize("n", range(len(STRUCTURAL)))
def test_structural_errors_reject_the_file(cases, n):
    assert cases.issues(f"structural{n}") == STRUCTURAL[n][3]
    assert cases.verdict(f"structural{n}") == "rejected"


def test_period_out_of_range_names_the_calendar_years(cases):
    (found,) = cases.issue_rows("out_of_range").itertuples()
    assert found.issue_code == "period_out_of_range"
    assert f"{FIRST_YEAR}-{LAST_YEAR}" in found.message_vi and f"{FIRST_YEAR}-{LAST_YEAR}" in found.message_en


def test_a_file_without_sender_is_only_sender_missing_next_to_an_unknown_sender(cases):
    """pandas turns the missing sender into NaN when another file of the batch has a sender."""
    assert cases.issues("nobody") == [("sender_missing", None, "(sender)", None)]
    assert cases.issues("stranger") == [("sender_unknown", None, "(sender)", "999")]


def test_unknown_and_missing_columns_are_warnings(cases):
    assert cases.issues("columns") == [
        ("column_unknown", None, "(columns)", "ghi_chu"),
        ("indicator_columns_missing", None, "(columns)", "hot_issues_tracked"),
    ]
    assert cases.verdict("columns") == "accepted_with_warnings"


def test_unreadable_file_is_rejected_with_its_code_and_others_still_load(cases):
    assert cases.issues("broken") == [("file_corrupt", None, None, None)]
    assert cases.verdict("broken") == "rejected"
    assert cases.verdict("good") == "accepted"
    assert len(cases.values("broken")) == 0
    assert cases.values("good")["value"].sum() == 3 * sum(GOOD.values())
