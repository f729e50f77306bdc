"""Reconciling a file with itself: a declared TOTAL row must equal the sum of the file's unit rows.

Officers often type the total by hand (or keep a formula that misses a row), and the total is what
their superiors read first; the warehouse never adds it (it sums the unit rows), so a total that
disagrees means one of the two is wrong and the file is sent back. Pure: a frame in, issues out.
"""

from __future__ import annotations

import pandas as pd

from transforms.catalogue import indicator_codes
from transforms.rules import issue

TOTAL = "TOTAL"  # readers normalise "Tổng cộng"/"total" to this code


def declared_totals(units: pd.DataFrame) -> list[dict]:
    """``total_mismatch`` issues for the TOTAL rows of ``units`` (validate's unit_reports frame:
    submission_id, row_number, unit_code and one Int64 column per indicator).

    Per indicator: the declared figure against the sum of the non-empty unit figures. An empty
    declared cell is not a claim, so it is not checked; a declared figure where no unit row has
    one is a mismatch (the units add up to nothing).
    """
    codes = [c for c in indicator_codes() if c in units.columns]
    if units.empty or not codes:
        return []
    is_total = units["unit_code"] == TOTAL
    if not is_total.any():
        return []
    unit_rows = units[
        units["unit_code"].notna()
        & ~is_total
        & units["submission_id"].isin(units.loc[is_total, "submission_id"])
    ]
    grouped = unit_rows.groupby("submission_id")[codes]
    sums, counts = grouped.sum(min_count=1), grouped.count()
    found = []
    for total in units[is_total].sort_values(["submission_id", "row_number"]).to_dict("records"):
        sid = total["submission_id"]
        for code in codes:
            declared = total[code]
            if pd.isna(declared):
                continue
            reported = int(counts.at[sid, code]) if sid in counts.index else 0
            computed = int(sums.at[sid, code]) if reported else 0
            if reported and int(declared) == computed:
                continue
            found.append(
                issue(
                    "total_mismatch",
                    sid,
                    row_number=total["row_number"],
                    column=code,
                    unit_code=TOTAL,
                    value=int(declared),
                    computed=computed,
                    units=reported,
                    difference=f"{int(declared) - computed:+d}",
                )
            )
    return found
