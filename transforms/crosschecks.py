"""Checks across submissions, run inside load's transaction once a run's rows are in raw.

A single file can be internally consistent and still disagree with the rest of what we hold:
  district_commune_mismatch  a file's row for another unit (a district's row for one of its
                             communes) differs from that unit's own file for the same period
  year_differs_from_halves   a sender's year report does not follow its two half-year reports:
                             S1 + S2 for a flow, S2 for a stock (the indicator's time aggregation)
  value_outlier              a figure far outside the unit's own history and its peers
  history_too_short          (info) some figures could not be judged: too little to compare with

They are warnings: the figures are accepted, a validator decides. Only current accepted
submissions are compared and flagged: the ones the lifecycle model int_submissions_versioned
marks current (a view on pipeline.duckdb, see warehouse.open_pipeline), and a unit's figures are
the ones int_unit_report_values_current counts. The statements are in warehouse/queries/crosschecks.

Which submissions are (re)checked:
- The two relational checks judge every current submission of every period a loaded file
  declares, plus the year of a loaded half-year. So the warning always lands on the file that
  reports the other unit (the district's), and on the year report, whichever file arrived first:
  a commune file that arrives after its district's rechecks the district's current file, and a
  half-year that arrives after the year rechecks the year. A recheck replaces the earlier
  relational issues, so a corrected file also clears the warning.
- The outlier check judges only the files being loaded, against what is held when they load, so
  a validator's view of an older file does not change each time a neighbour reports.
A recheck recounts the submission's warnings and moves its verdict between `accepted` and
`accepted_with_warnings`; nothing here rejects a file.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from transforms import sql
from transforms.catalogue import column_of, stock_codes
from transforms.periods import parse_period
from transforms.rules import ISSUE_COLUMNS, issue

RELATIONAL = ("district_commune_mismatch", "year_differs_from_halves")
ON_ARRIVAL = ("value_outlier", "history_too_short")
CODES = RELATIONAL + ON_ARRIVAL

# Outliers, on log(1 + x) of the non-zero figures. Counts differ by multiples between a small
# commune and a town, so a band in log space is a band of ratios. Zeros are left out on both sides:
# "none this period" is common (most units hold no training in a half-year), a median of zeros
# would flag every unit that did something, and a zero is never itself an outlier.
MIN_HISTORY = 4  # earlier periods of the same kind (two years of half-years): fewer is a guess
MIN_PEERS = 8  # units of the same level in the province: enough for a median and MAD to mean something
OUTLIER_K = 5.0  # "far": 5 robust standard deviations, rare even for heavy-tailed counts
MAD_TO_SD = 1.4826  # MAD x 1.4826 estimates the standard deviation of normally distributed data
LOG_SCALE_FLOOR = 0.5  # identical figures (MAD 0) still allow a factor of e^(5 x 0.5) ~ 12
EMPTY = "–"  # an empty figure in a message, the same in both languages
# The outlier thresholds, passed to crosschecks/outlier_bands.sql: the one place they are set.
THRESHOLDS = {
    "min_history": MIN_HISTORY,
    "min_peers": MIN_PEERS,
    "k": OUTLIER_K,
    "mad_to_sd": MAD_TO_SD,
    "scale_floor": LOG_SCALE_FLOOR,
}


def run(con: duckdb.DuckDBPyConnection, submission_ids: list[str], *, extra_units: Path | None = None) -> int:
    """Check the loaded ``submission_ids`` (and the current submissions they relate to) against
    the rest of raw; replace their crosscheck issues, recount warnings, update verdicts.

    Runs inside the caller's transaction, on a connection with the pipeline's lifecycle views
    (``warehouse.open_pipeline``). Returns the number of issues written.
    """
    ids = sorted(set(submission_ids))
    if not ids:
        return 0
    sql.run(con, "crosschecks/current")
    sql.run(con, "crosschecks/loaded", [ids])
    sql.run(con, "crosschecks/arrived")
    loaded_periods = [p for (p,) in sql.run(con, "crosschecks/loaded_periods").fetchall()]
    touched = touched_periods(loaded_periods)
    sql.run(con, "crosschecks/recheck", [touched])
    sql.run(con, "crosschecks/values", [read_periods(touched)])
    straddling = straddling_years(touched)
    if straddling:  # only those a rechecked file reports: the check on today's map reads every figure
        found_years = sql.run(con, "crosschecks/rechecked_years", {"years": straddling}).fetchall()
        straddling = [y for (y,) in found_years]
    from transforms.reference import Reference  # the reference crosswalk, as the warehouse has it

    crosswalk = Reference.shared(extra_units).year_crosswalk() if straddling else _NO_CROSSWALK
    con.register("cc_crosswalk_frame", crosswalk)
    sql.run(con, "crosschecks/crosswalk")
    con.unregister("cc_crosswalk_frame")
    found = _relational(con, straddling) + _outliers(con, extra_units)

    sql.run(con, "crosschecks/clear_relational", [list(RELATIONAL)])
    sql.run(con, "crosschecks/clear_on_arrival", [list(ON_ARRIVAL)])
    if found:
        frame = pd.DataFrame(found, columns=list(ISSUE_COLUMNS)).astype({"row_number": "Int64"})
        con.register("cc_found", frame)
        sql.run(con, "crosschecks/insert_found")
        con.unregister("cc_found")
    sql.run(con, "crosschecks/recount_verdicts")
    sql.run(con, "crosschecks/drop_temp")
    return len(found)


_NO_CROSSWALK = pd.DataFrame(
    {
        "old_code": pd.Series(dtype=str),
        "current_code": pd.Series(dtype=str),
        "predecessors": pd.Series(dtype="int64"),
    }
)


def straddling_years(periods: list[str]) -> list[str]:
    """The years among ``periods`` whose S1 is on the map before the 2025 reform and the year on the
    map after it (2025): their year report is compared with S1 restated onto today's map."""
    out = []
    for code in periods:
        p = parse_period(code)
        if p is not None and p.kind == "year" and p.after_reform:
            s1 = parse_period(f"{p.code}S1")
            if s1 is not None and not s1.after_reform:
                out.append(p.code)
    return sorted(out)


def touched_periods(periods: list[str]) -> list[str]:
    """The periods whose current submissions a load may change the relational checks of: the
    loaded periods, and the year of a loaded half-year (its year report is checked against it)."""
    out = set()
    for code in periods:
        p = parse_period(code)
        if p is None:
            continue
        out.add(p.code)
        if p.kind == "half_year":
            out.add(str(p.year))
    return sorted(out)


def read_periods(touched: list[str]) -> list[str]:
    """The periods whose figures the checks read: the touched ones, and the two halves of a
    touched year (its year report is compared with them). Never the rest of the history."""
    out = set(touched)
    for code in touched:
        p = parse_period(code)
        if p is not None and p.kind == "year":
            out.update((f"{p.code}S1", f"{p.code}S2"))
    return sorted(out)


def _relational(con: duckdb.DuckDBPyConnection, straddling: list[str]) -> list[dict]:
    found = []
    for sid, row, unit, code, breakdown, value, own in sql.run(
        con, "crosschecks/district_commune"
    ).fetchall():
        found.append(
            issue(
                "district_commune_mismatch",
                sid,
                row_number=row,
                column=column_of(code, breakdown),
                unit_code=unit,
                value=value,
                district=EMPTY if value is None else value,
                own=EMPTY if own is None else own,
            )
        )
    params = {"stocks": list(stock_codes()), "straddling": straddling}
    halves = sql.run(con, "crosschecks/year_halves", params).fetchall()
    if straddling:  # 2025 on today's map (the counted figures of every current file: only then)
        halves += sql.run(con, "crosschecks/year_halves_today", params).fetchall()
    for sid, row, unit, code, breakdown, value, s1, s2, is_stock, expected in halves:
        if is_stock:
            how_vi, how_en = f"số liệu cuối năm (6 tháng cuối năm) {s2}", f"the end-of-year (S2) figure {s2}"
        else:
            how_vi = f"tổng hai báo cáo 6 tháng {s1} + {s2} = {expected}"
            how_en = f"the sum of the half-year reports {s1} + {s2} = {expected}"
        found.append(
            issue(
                "year_differs_from_halves",
                sid,
                row_number=row,
                column=column_of(code, breakdown),
                unit_code=unit,
                value=value,
                s1=s1,
                s2=s2,
                halves=expected,
                expected_vi=how_vi,
                expected_en=how_en,
            )
        )
    return found


def _outliers(con: duckdb.DuckDBPyConnection, extra_units: Path | None) -> list[dict]:
    """value_outlier and history_too_short of the arrived submissions: statistics, bands and the
    verdict on each figure in DuckDB (crosschecks/outlier_stats, outlier_bands), messages here."""
    arrived = [p for (p,) in sql.run(con, "crosschecks/arrived_periods").fetchall()]
    if not arrived:
        return []
    periods = _periods_frame([p for (p,) in sql.run(con, "crosschecks/held_periods").fetchall()])
    judged_kinds = set(periods.loc[periods["period_code"].isin(arrived), "period_type"])
    needed = periods.loc[periods["period_type"].isin(judged_kinds), "period_code"].tolist()
    from transforms.reference import Reference  # the reference hierarchy, as validation uses it

    con.register("cc_periods_frame", periods)
    sql.run(con, "crosschecks/periods")
    con.unregister("cc_periods_frame")
    con.register("cc_units_frame", Reference.shared(extra_units).period_units(needed))
    sql.run(con, "crosschecks/units")
    con.unregister("cc_units_frame")
    sql.run(con, "crosschecks/stats_table")
    for period, against in judged_against(periods, arrived).items():
        # one period at a time: median and MAD hold their groups' figures in memory (no spilling)
        sql.run(con, "crosschecks/outlier_stats", {"period": period, "periods": against})
    sql.run(con, "crosschecks/outlier_bands", THRESHOLDS)
    found = [
        issue(
            "value_outlier",
            sid,
            row_number=row,
            column=code,
            unit_code=unit,
            value=int(value),
            low=int(low),
            high=int(high),
            history=int(history),
            peers=int(peers),
        )
        for sid, row, unit, code, value, low, high, history, peers in sql.run(
            con, "crosschecks/outliers"
        ).fetchall()
    ]
    for sid, unjudged, total in sql.run(con, "crosschecks/unjudged").fetchall():
        found.append(
            issue(
                "history_too_short",
                sid,
                value=int(unjudged),
                total=int(total),
                min_history=MIN_HISTORY,
                min_peers=MIN_PEERS,
            )
        )
    return found


def judged_against(periods: pd.DataFrame, arrived: list[str]) -> dict[str, list[str]]:
    """Per arrived period, the periods its figures are judged against: itself (its peers) and the
    earlier periods of its kind (the history: ending before it starts)."""
    out = {}
    for row in periods.loc[periods["period_code"].isin(arrived)].itertuples(index=False):
        same = periods.loc[
            (periods["period_type"] == row.period_type) & (periods["end_date"] < row.start_date)
        ]
        out[row.period_code] = sorted({row.period_code, *same["period_code"]})
    return out


def _periods_frame(codes: list[str]) -> pd.DataFrame:
    parsed = [p for c in codes if (p := parse_period(c)) and p.code == c]
    return pd.DataFrame(
        {
            "period_code": [p.code for p in parsed],
            "period_type": [p.kind for p in parsed],
            "start_date": pd.to_datetime([p.start for p in parsed]),
            "end_date": pd.to_datetime([p.end for p in parsed]),
        }
    )
