"""Declared totals (transforms/reconcile.py): a TOTAL row must equal the sum of the unit rows."""

from __future__ import annotations

import pandas as pd

from tests.unit.validation_cases import GOOD, issues_of, receipt, rows, validate, verdict_of, write_csv
from transforms.reconcile import declared_totals


def units(*records) -> pd.DataFrame:
    """validate's unit_reports frame, reduced to what the check reads."""
    frame = pd.DataFrame(
        records, columns=["submission_id", "row_number", "unit_code", "conferences_held", "trainings_held"]
    )
    return frame.astype({"conferences_held": "Int64", "trainings_held": "Int64"})


def found(frame):
    return [
        (i["submission_id"], i["row_number"], i["column_name"], i["value"], i["message_en"])
        for i in declared_totals(frame)
    ]


def test_a_total_that_adds_up_is_fine_and_null_units_are_ignored():
    assert found(units(("s", 2, "02020", 2, None), ("s", 3, "02023", 3, 1), ("s", 4, "TOTAL", 5, 1))) == []


def test_one_issue_per_indicator_that_differs_naming_declared_sum_and_difference():
    frame = units(("s", 2, "02020", 2, 1), ("s", 3, "064", 3, 1), ("s", 4, "TOTAL", 7, 2))
    assert found(frame) == [
        (
            "s",
            4,
            "conferences_held",
            "7",
            "The TOTAL row declares 7 in conferences_held, but the 2 unit rows with a figure add up to 5 (difference +2).",
        )
    ]


def test_a_declared_figure_where_no_unit_has_one_is_a_mismatch_an_empty_declared_cell_is_not_checked():
    frame = units(("s", 2, "02020", None, 1), ("s", 3, "02023", None, 2), ("s", 4, "TOTAL", 0, None))
    assert [(f[2], f[3]) for f in found(frame)] == [("conferences_held", "0")]
    assert "the 0 unit rows with a figure add up to 0 (difference +0)" in found(frame)[0][4]


def test_files_are_reconciled_separately_and_files_without_total_are_left_alone():
    frame = units(
        ("a", 2, "02020", 2, 1),
        ("a", 3, "TOTAL", 1, 1),
        ("b", 2, "02020", 9, 9),
        ("c", 2, "02020", 1, 1),
        ("c", 3, "TOTAL", 1, 1),
    )
    assert [(f[0], f[1], f[2], f[3]) for f in found(frame)] == [("a", 3, "conferences_held", "1")]
    assert declared_totals(units()) == []


def test_through_validation_a_tong_cong_row_that_differs_rejects_the_file(tmp_path):
    records = rows(units=["02020", "02023", "064"])
    total = {"period": "2024S1", "unit_code": "Tổng cộng", **{c: 3 * v for c, v in GOOD.items()}}
    total["documents_issued"] = 10  # 3 x 3 = 9
    f = write_csv(tmp_path / "f.csv", [*records, total])
    result = validate(receipt(f))
    assert issues_of(result, "sub_f") == [("total_mismatch", 5, "documents_issued", "10")]
    assert verdict_of(result, "sub_f") == "rejected"
