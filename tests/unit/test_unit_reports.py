"""The unit_reports suite: unit validity and scope, relations between indicators.

Each case breaks one cell of an otherwise good file and expects exactly one issue, with the row
a person sees in the file (header = row 1) and the column to fix.
"""

import pytest

from tests.unit.validation_cases import (
    CODES,
    Cases,
    issues_of,
    receipt,
    rows,
    validate,
    write_csv,
)

RELATIONS = [  # (one cell broken, the one expected issue): each rejects the file
    (
        {"u02023": {"models_recognized": 3, "models_recognized_collective": 3}},
        ("models_recognized_exceeds_registered", 3, "models_recognized", "3"),
    ),
    (  # the old columns read as the holder breakdown of models_recognized: 1 + 1 <> 1
        {"u02020": {"models_recognized_collective": 1, "models_recognized_individual": 1}},
        ("breakdown_parts_ne_total", 2, "models_recognized", "1"),
    ),
    (
        {"u02020": {"models_recognized:kinh_te": 1, "models_registered:kinh_te": 0}},
        ("models_recognized_exceeds_registered", 2, "models_recognized:kinh_te", "1"),
    ),
    (
        {"u064": {"conference_attendees": 1}},
        ("conference_attendees_below_held", 4, "conference_attendees", "1"),
    ),
    (
        {"u02020": {"conferences_held": 0}},
        ("conference_attendees_without_conference", 2, "conference_attendees", "80"),
    ),
    (
        {"u02020": {"training_attendees": 0}},
        ("training_attendees_below_held", 2, "training_attendees", "0"),
    ),
    (
        {"u02020": {"trainings_held": 0}},
        ("training_attendees_without_training", 2, "training_attendees", "30"),
    ),
]


def test_petitions_resolved_above_received_is_only_a_warning(cases):
    assert cases.issues("petitions") == [("petitions_resolved_exceed_received", 3, "petitions_resolved", "9")]
    assert cases.verdict("petitions") == "accepted_with_warnings"
    assert len(cases.values("petitions")) == 3 * len(CODES)


def test_opinions_answered_above_raised_is_only_a_warning(cases):
    assert cases.issues("opinions") == [("opinions_answered_exceed_raised", 3, "opinions_answered", "2")]
    assert cases.verdict("opinions") == "accepted_with_warnings"


UNITS = [  # (unit codes of the file, sender, expected issues)
    (["02020", "01834"], "064", [("unit_outside_sender", 3, "unit_code", "01834")]),  # a commune of 058
    (["02020", "99999"], "064", [("unit_unknown", 3, "unit_code", "99999")]),
    # a code that lost its leading zeros is the one code of the sender's area it matches (info) ...
    (
        ["2020", "64"],
        "064",
        [
            ("unit_code_leading_zero", 2, "unit_code", "2020"),
            ("unit_code_leading_zero", 3, "unit_code", "64"),
        ],
    ),
    (  # ... and then it is that unit, twice here
        ["02020", "2020"],
        "064",
        [
            ("unit_code_leading_zero", 3, "unit_code", "2020"),
            ("unit_duplicate", 2, "unit_code", "02020"),
            ("unit_duplicate", 3, "unit_code", "02020"),
        ],
    ),
    (["1834"], "064", [("unit_unknown", 2, "unit_code", "1834")]),  # 01834 is Bắc Kạn city's, not 064's
    (
        ["02020", "02020"],
        "064",
        [("unit_duplicate", 2, "unit_code", "02020"), ("unit_duplicate", 3, "unit_code", "02020")],
    ),
    (["06"], "06", []),  # a province reports its own level (schemas/reporting_chain.yaml)
    (  # ... and not its districts' or communes' rows: the districts send those
        ["02020", "064", "06"],
        "06",
        [("unit_outside_sender", 2, "unit_code", "02020"), ("unit_outside_sender", 3, "unit_code", "064")],
    ),
    (["CQ06-03"], "CQ06-03", []),  # a registered body (Bắc Kạn's police) reports its own row
    (["CQ06-03", "02020"], "CQ06-03", [("unit_outside_sender", 3, "unit_code", "02020")]),
    (["02020"], "02020", []),  # a commune reports itself
    (["02023"], "02020", [("unit_outside_sender", 2, "unit_code", "02023")]),
]


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> Cases:
    c = Cases(tmp_path_factory.mktemp("unit_reports"))
    for n, (change, _) in enumerate(RELATIONS):
        c.add(f"relation{n}", rows(**change))
    for n, (units, sender, _) in enumerate(UNITS):
        c.add(f"units{n}", rows(units=units), sender=sender)
    c.add("petitions", rows(u02023={"petitions_resolved": 9}))
    c.add("opinions", rows(u02023={"opinions_raised": 1, "opinions_answered": 2}))
    c.add("after_reform", rows(period="2025S2", units=["02020"]))
    c.add("no_unit_code", rows(units=["02020", ""]))
    c.add("declared_total", rows(units=["02020", "TOTAL"]))
    c.add("good", rows())
    c.add("bad", rows(u02020={"conferences_held": -1}))
    return c


@pytest.mark.parametrize("n", range(len(RELATIONS)))
def test_relations_between_indicators_are_errors(cases, n):
    assert cases.issues(f"relation{n}") == [RELATIONS[n][1]]
    assert cases.verdict(f"relation{n}") == "rejected"


@pytest.mark.parametrize("n", range(len(UNITS)))
def test_units_must_be_valid_and_inside_the_sender_area(cases, n):
    assert cases.issues(f"units{n}") == UNITS[n][2]


def test_units_are_checked_against_the_period(cases):
    """02020 stopped existing on 2025-07-01 (the reform); 2025S2 has no district 064 either."""
    assert [i[0] for i in cases.issues("after_reform")] == ["sender_unknown"]


def test_a_missing_unit_code_is_reported_once(cases):
    assert cases.issues("no_unit_code") == [("unit_code_missing", 3, "unit_code", None)]


def test_declared_total_row_is_stored_never_checked_as_a_unit(cases):
    assert cases.issues("declared_total") == []
    values = cases.values("declared_total")
    totals = values[values["is_declared_total"]]
    assert set(totals["unit_code"]) == {"TOTAL"}
    assert sorted(totals["indicator_code"]) == sorted(CODES)


def test_one_bad_file_does_not_change_the_others(cases, tmp_path):
    """The good file alone, and in the module's batch next to every broken file above."""
    good = write_csv(tmp_path / "good.csv", rows())
    alone = validate(receipt(good))
    assert cases.verdict("good") == "accepted"
    assert cases.verdict("bad") == "rejected"
    assert cases.issues("good") == issues_of(alone, "sub_good") == []
    assert cases.values("good").equals(alone.values)
