"""Checks across submissions, run inside load's transaction once a run's rows are in raw.

A single file can be internally consistent and still disagree with the rest of what we hold:
  district_commune_mismatch  a file's row for another unit (a district's row for one of its
                             communes) differs from that unit's own file for the same period
  year_differs_from_halves   a sender's year report is not the sum of its two half-year reports
  value_outlier              a figure far outside the unit's own history and its peers
  history_too_short          (info) some figures could not be judged: too little to compare with

They are warnings: the figures are accepted, a validator decides. Only current accepted
submissions (the latest accepted file of a sender and period, as in int_submissions_versioned)
are compared and flagged.

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
import numpy as np
import pandas as pd

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

# The current accepted submission of each sender and period, as int_submissions_versioned says:
# a validator's standing decision (raw.review_decisions, latest unless a reopen) overrides the verdict.
_CURRENT = """
    create or replace temp table cc_current as
    with
    decisions as (
        select submission_id, decision from raw.review_decisions
        qualify row_number() over (partition by submission_id order by decided_at desc, decision_id desc) = 1
    ),
    reviewed as (
        select s.submission_id, s.sender_code, s.period, s.received_at,
               case d.decision when 'accept' then 'accepted' when 'reject' then 'rejected' else s.verdict end
                   as verdict
        from raw.submissions s
        left join decisions d using (submission_id)
    )
    select submission_id, sender_code, period
    from reviewed
    where verdict in ('accepted', 'accepted_with_warnings') and period is not null
    qualify row_number() over (
        partition by sender_code, period order by received_at desc, submission_id desc) = 1
"""

_VALUES = """
    create or replace temp table cc_values as
    select c.submission_id, c.sender_code, c.period, v.row_number, v.unit_code, v.indicator_code, v.value
    from raw.unit_report_values v
    join cc_current c using (submission_id)
    where not v.is_declared_total
"""

_DISTRICT_COMMUNE = """
    select hi.submission_id, hi.row_number, hi.unit_code, hi.indicator_code, hi.value, own.value as own
    from cc_values hi
    join cc_values own
        on own.period = hi.period and own.sender_code = hi.unit_code
       and own.unit_code = hi.unit_code and own.indicator_code = hi.indicator_code
    where hi.sender_code <> hi.unit_code
      and hi.submission_id in (select submission_id from cc_recheck)
      and hi.value is distinct from own.value
    order by all
"""

_YEAR_HALVES = """
    select y.submission_id, y.row_number, y.unit_code, y.indicator_code, y.value, h1.value as s1, h2.value as s2
    from cc_values y
    join cc_values h1
        on h1.sender_code = y.sender_code and h1.period = y.period || 'S1'
       and h1.unit_code = y.unit_code and h1.indicator_code = y.indicator_code
    join cc_values h2
        on h2.sender_code = y.sender_code and h2.period = y.period || 'S2'
       and h2.unit_code = y.unit_code and h2.indicator_code = y.indicator_code
    where y.submission_id in (select submission_id from cc_recheck)
      and regexp_full_match(y.period, '\\d{4}')
      and y.value <> h1.value + h2.value
    order by all
"""

# One row per non-zero figure of a file being loaded, with the statistics of its history and its
# peers (their non-zero figures).
_OUTLIER_STATS = """
    with
    unit_values as (  -- the warehouse's rule: a unit's own report wins, then the lowest-level sender
        select * from cc_values
        qualify row_number() over (
            partition by period, unit_code, indicator_code
            order by unit_code = sender_code desc, length(sender_code) desc, submission_id) = 1
    ),
    located as (
        select v.period, v.unit_code, v.indicator_code, v.value, p.period_type, p.end_date,
               u.unit_level, u.unit_name, u.province_code
        from unit_values v
        join cc_periods p on p.period_code = v.period
        join cc_units u on u.period_code = v.period and u.unit_code = v.unit_code
        where v.value > 0
    ),
    judged as (
        select v.submission_id, v.row_number, v.unit_code, v.indicator_code, v.value, v.period,
               p.period_type, p.start_date, u.unit_level, u.unit_name, u.province_code
        from cc_values v
        join cc_arrived using (submission_id)
        join cc_periods p on p.period_code = v.period
        left join cc_units u on u.period_code = v.period and u.unit_code = v.unit_code
        where v.value > 0
    ),
    history as (  -- the same unit (same code, level, name and province: codes were reused in 2025)
        select j.submission_id, j.row_number, j.indicator_code, count(*) as n,
               median(ln(1 + h.value)) as m, mad(ln(1 + h.value)) as d,
               min(h.value) as low, max(h.value) as high
        from judged j
        join located h
            on h.unit_code = j.unit_code and h.indicator_code = j.indicator_code
           and h.period_type = j.period_type and h.end_date < j.start_date
           and h.unit_level = j.unit_level and h.unit_name = j.unit_name
           and h.province_code = j.province_code
        group by all
    ),
    peers as (  -- the unit itself is in its group: one figure barely moves a median or a MAD
        select period, province_code, unit_level, indicator_code, count(*) as n,
               median(ln(1 + value)) as m, mad(ln(1 + value)) as d
        from located
        where period in (select period from cc_arrived)
        group by all
    )
    select j.submission_id, j.row_number, j.unit_code, j.indicator_code, j.value,
           coalesce(h.n, 0) as history_n, h.m as history_m, h.d as history_d,
           h.low as history_low, h.high as history_high,
           coalesce(g.n, 0) - (s.unit_code is not null)::int as peers_n, g.m as peers_m, g.d as peers_d
    from judged j
    left join history h using (submission_id, row_number, indicator_code)
    left join peers g
        on g.period = j.period and g.province_code = j.province_code
       and g.unit_level = j.unit_level and g.indicator_code = j.indicator_code
    left join located s
        on s.period = j.period and s.unit_code = j.unit_code and s.indicator_code = j.indicator_code
    order by j.submission_id, j.row_number, j.indicator_code
"""


def run(con: duckdb.DuckDBPyConnection, submission_ids: list[str], *, extra_units: Path | None = None) -> int:
    """Check the loaded ``submission_ids`` (and the current submissions they relate to) against
    the rest of raw; replace their crosscheck issues, recount warnings, update verdicts.

    Runs inside the caller's transaction. Returns the number of issues written.
    """
    ids = sorted(set(submission_ids))
    if not ids:
        return 0
    con.execute(_CURRENT)
    con.execute(
        "create or replace temp table cc_loaded as select unnest(?::varchar[]) as submission_id", [ids]
    )
    con.execute(
        "create or replace temp table cc_arrived as select * from cc_current "
        "where submission_id in (select submission_id from cc_loaded)"
    )
    loaded_periods = [
        p
        for (p,) in con.execute(
            "select distinct period from raw.submissions "
            "where submission_id in (select submission_id from cc_loaded) and period is not null"
        ).fetchall()
    ]
    con.execute(
        "create or replace temp table cc_recheck as select * from cc_current "
        "where period in (select unnest(?::varchar[]))",
        [touched_periods(loaded_periods)],
    )
    con.execute(_VALUES)
    found = _relational(con) + _outliers(con, extra_units)

    con.execute(
        "delete from raw.submission_issues where submission_id in (select submission_id from cc_recheck) "
        "and issue_code in (select unnest(?::varchar[]))",
        [list(RELATIONAL)],
    )
    con.execute(
        "delete from raw.submission_issues where submission_id in (select submission_id from cc_arrived) "
        "and issue_code in (select unnest(?::varchar[]))",
        [list(ON_ARRIVAL)],
    )
    if found:
        frame = pd.DataFrame(found, columns=list(ISSUE_COLUMNS)).astype({"row_number": "Int64"})
        con.register("cc_found", frame)
        con.execute(f"insert into raw.submission_issues select {', '.join(ISSUE_COLUMNS)} from cc_found")
        con.unregister("cc_found")
    con.execute("""
        update raw.submissions s
        set warning_count = w.warnings,
            verdict = case when w.warnings > 0 then 'accepted_with_warnings' else 'accepted' end
        from (
            select c.submission_id, count(i.issue_code) filter (where i.severity = 'warning') as warnings
            from (select submission_id from cc_recheck union select submission_id from cc_arrived) c
            left join raw.submission_issues i using (submission_id)
            group by c.submission_id
        ) w
        where s.submission_id = w.submission_id
          and s.verdict in ('accepted', 'accepted_with_warnings')
    """)
    for table in (
        "cc_current",
        "cc_loaded",
        "cc_arrived",
        "cc_recheck",
        "cc_values",
        "cc_periods",
        "cc_units",
    ):
        con.execute(f"drop table if exists {table}")
    return len(found)


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


def _relational(con: duckdb.DuckDBPyConnection) -> list[dict]:
    found = []
    for sid, row, unit, code, value, own in con.execute(_DISTRICT_COMMUNE).fetchall():
        found.append(
            issue(
                "district_commune_mismatch",
                sid,
                row_number=row,
                column=code,
                unit_code=unit,
                value=value,
                district=EMPTY if value is None else value,
                own=EMPTY if own is None else own,
            )
        )
    for sid, row, unit, code, value, s1, s2 in con.execute(_YEAR_HALVES).fetchall():
        found.append(
            issue(
                "year_differs_from_halves",
                sid,
                row_number=row,
                column=code,
                unit_code=unit,
                value=value,
                s1=s1,
                s2=s2,
                halves=s1 + s2,
            )
        )
    return found


def _outliers(con: duckdb.DuckDBPyConnection, extra_units: Path | None) -> list[dict]:
    arrived = con.sql("select distinct period from cc_arrived").fetchall()
    if not arrived:
        return []
    periods = _periods_frame([p for (p,) in con.sql("select distinct period from cc_current").fetchall()])
    judged_kinds = set(periods.loc[periods["period_code"].isin([p for (p,) in arrived]), "period_type"])
    needed = periods.loc[periods["period_type"].isin(judged_kinds), "period_code"].tolist()
    from transforms.reference import Reference  # the reference hierarchy, as validation uses it

    con.register("cc_periods_frame", periods)
    con.execute(
        "create or replace temp table cc_periods as select period_code, period_type, "
        "cast(start_date as date) as start_date, cast(end_date as date) as end_date from cc_periods_frame"
    )
    con.unregister("cc_periods_frame")
    con.register("cc_units_frame", Reference.shared(extra_units).period_units(needed))
    con.execute("create or replace temp table cc_units as select * from cc_units_frame")
    con.unregister("cc_units_frame")
    # Every figure's statistics stay in DuckDB; pandas sees the few that can be outliers.
    con.execute(f"create or replace temp table cc_stats as {_OUTLIER_STATS}")
    band = "exp({m} {sign} {k} * greatest({sd} * {d}, {floor})) - 1"
    h, p = (
        dict(m=f"{w}_m", d=f"{w}_d", k=OUTLIER_K, sd=MAD_TO_SD, floor=LOG_SCALE_FLOOR)
        for w in ("history", "peers")
    )
    low = (
        f"least(case when history_n >= {MIN_HISTORY} then least({band.format(sign='-', **h)}, history_low) end, "
        f"case when peers_n >= {MIN_PEERS} then {band.format(sign='-', **p)} end)"
    )
    high = (
        f"greatest(case when history_n >= {MIN_HISTORY} then greatest({band.format(sign='+', **h)}, history_high) end, "
        f"case when peers_n >= {MIN_PEERS} then {band.format(sign='+', **p)} end)"
    )
    # a superset of the flagged figures (outside the unrounded band, 1 of slack); outlier_issues decides
    candidates = con.sql(
        f"select * from cc_stats where value < {low} + 1 or value > {high} - 1 "
        "order by submission_id, row_number, indicator_code"
    ).df()
    found = [i for i in outlier_issues(candidates) if i["issue_code"] == "value_outlier"]
    for sid, unjudged, total in con.execute(
        f"select submission_id, count(*) filter (where history_n < {MIN_HISTORY} and peers_n < {MIN_PEERS}), "
        "count(*) from cc_stats group by submission_id order by submission_id"
    ).fetchall():
        if unjudged:
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
    con.execute("drop table cc_stats")
    return found


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


def outlier_issues(stats: pd.DataFrame) -> list[dict]:
    """value_outlier per figure outside its expected range, history_too_short once per submission.

    ``stats``: one row per figure (submission_id, row_number, unit_code, indicator_code, value,
    history_n/_m/_d/_low/_high, peers_n/_m/_d; m and d = median and MAD of log(1 + x)). The
    expected range is the union of the bands of whichever of history and peers is large enough,
    and of the history's own min..max: a figure is flagged only when it is outside all of them.
    Zeros are not in ``stats`` (see _OUTLIER_STATS): none this period is never an outlier.
    """
    if stats.empty:
        return []
    history_ok = (stats["history_n"] >= MIN_HISTORY).to_numpy()
    peers_ok = (stats["peers_n"] >= MIN_PEERS).to_numpy()
    h_low, h_high = _band(stats["history_m"], stats["history_d"])
    p_low, p_high = _band(stats["peers_m"], stats["peers_d"])
    low = np.fmin(
        np.where(history_ok, np.fmin(h_low, stats["history_low"].astype(float)), np.inf),
        np.where(peers_ok, p_low, np.inf),
    )
    high = np.fmax(
        np.where(history_ok, np.fmax(h_high, stats["history_high"].astype(float)), -np.inf),
        np.where(peers_ok, p_high, -np.inf),
    )
    judged = history_ok | peers_ok
    with np.errstate(invalid="ignore"):  # +-inf where nothing judges a figure: masked below
        low = np.maximum(0, np.floor(np.round(low, 6)))
        high = np.ceil(np.round(high, 6))
        value = stats["value"].to_numpy(dtype=float)
        flagged = judged & ((value < low) | (value > high))
    found = []
    for i in np.flatnonzero(flagged):
        r = stats.iloc[i]
        found.append(
            issue(
                "value_outlier",
                r["submission_id"],
                row_number=r["row_number"],
                column=r["indicator_code"],
                unit_code=r["unit_code"],
                value=int(r["value"]),
                low=int(low[i]),
                high=int(high[i]),
                history=int(r["history_n"]) if history_ok[i] else 0,
                peers=int(r["peers_n"]) if peers_ok[i] else 0,
            )
        )
    per_submission = (
        stats.assign(unjudged=~judged)
        .groupby("submission_id", sort=True)
        .agg(unjudged=("unjudged", "sum"), total=("unjudged", "size"))
    )
    for sid, r in per_submission[per_submission["unjudged"] > 0].iterrows():
        found.append(
            issue(
                "history_too_short",
                sid,
                value=int(r["unjudged"]),
                total=int(r["total"]),
                min_history=MIN_HISTORY,
                min_peers=MIN_PEERS,
            )
        )
    return found


def _band(median: pd.Series, mad: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """median +- K robust standard deviations of log(1 + x), back on the scale of the figures."""
    m = median.astype(float).to_numpy()
    scale = np.fmax(MAD_TO_SD * mad.astype(float).to_numpy(), LOG_SCALE_FLOOR)
    return np.expm1(m - OUTLIER_K * scale), np.expm1(m + OUTLIER_K * scale)
