"""Validating a batch of submissions: read each file, build one frame per suite, run the suites.

Three datasets, each a suite in expectations/ (same stem):
  submissions         one row per file: structure, period, sender
  unit_reports        one row per unit row: unit validity and scope, relations between indicators
  unit_report_values  one row per unit x indicator: the value as typed is a non-negative integer
Row-level suites only see files whose structure passed: that both avoids meaningless follow-on
errors and bounds the cost of GX's COMPLETE result format on a garbage file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd

from transforms import breakdowns, restatement
from transforms.catalogue import TOTAL, breakdown_key, category_codes, indicator_codes, indicators, parse_key
from transforms.periods import FIRST_YEAR, LAST_YEAR, PERIOD_RE, parse_period
from transforms.readers import ReadResult, UnreadableFile, read_submission
from transforms.reconcile import declared_totals
from transforms.reference import Reference, Scope
from transforms.rules import ISSUE_COLUMNS, issue
from transforms.suites import run_suite, suite_spec

# ASCII digits only: Python's \d also matches full-width (１２) and Arabic-Indic digits, which the
# suite rejects as value_not_integer (never a NULL without a word).
INTEGER_RE = re.compile(r"\s*[0-9]+\s*")
# The largest count stored: below 10^12 (a trillion people, meetings or documents is no real
# count), far inside BIGINT (9.2 x 10^18) so that sums over the whole country, and log(1 + x) in
# the outlier check, never overflow. The suite's value_too_large regex says the same (13+ digits).
VALUE_MAX_DIGITS = 12
# The row suites itemise every failing row (GX's COMPLETE result format costs ~2 ms a failing row:
# 100,000 bad values were ~200 s). A file with more obvious problems than this (values failing
# the suite's own value regexes: negative, not a whole number, too large; repeated unit x
# indicator in a long file) is rejected with one issue instead: nobody fixes 1,000 cells from a list.
MAX_ROW_PROBLEMS = 1_000
# A rule's own message placeholders, filled wherever its suite reports it.
# What stops a file's rows being checked at all (everything else is reported with the row checks).
BLOCKING = frozenset({"file_too_large"})
CODE_WIDTHS = (2, 3, 5)  # GSO codes: province, district, commune
MESSAGE_FIELDS = {"period_out_of_range": {"first_year": FIRST_YEAR, "last_year": LAST_YEAR}}


@dataclass
class BatchResult:
    submissions: pd.DataFrame  # one row per receipt, with verdict and counts
    issues: pd.DataFrame  # ISSUE_COLUMNS
    values: (
        pd.DataFrame
    )  # accepted rows: submission_id,row_number,unit_code,is_declared_total,indicator_code,value


def validate_batch(
    receipts: list[dict], extra_units: Path | None = None, reference: Reference | None = None
) -> BatchResult:
    """Receipts are dicts with submission_id, sender_code, archive_path (see pipeline.archive_batch).

    ``reference``: the as-of hierarchy to check units against; by default the process's one for
    ``extra_units`` (``Reference.shared``)."""
    issues: list[dict] = []
    reads: dict[str, ReadResult] = {}
    for r in receipts:
        sid = r["submission_id"]
        try:
            reads[sid] = read_submission(Path(r["archive_path"]))
        except UnreadableFile as exc:
            value = exc.value
            if exc.code == "file_format_unsupported":  # the sender's extension, not our archive's
                value = (Path(r["file_name"]).suffix or exc.detail)[:40]
            issues.append(issue(exc.code, sid, value=value, detail=exc.detail))
        except Exception as exc:  # noqa: BLE001 - one file never stops the batch
            issues.append(issue("file_unprocessable", sid, detail=type(exc).__name__))

    files = _files_frame(receipts, reads)
    scope = (reference or Reference.shared(extra_units)).scope(files["period"].dropna().tolist())
    # a window (2024N9, 2021-2025) is an analyst's period, never a file's: period_invalid only
    valid_periods = {p for p in files["period"].dropna() if (q := parse_period(p)) and not q.is_window}
    # NULL unless well-formed (period_invalid says that): a well-formed code must be in the calendar
    files["period_in_calendar"] = pd.array(
        [p in valid_periods if isinstance(p, str) and PERIOD_RE.match(p) else None for p in files["period"]],
        dtype="boolean",
    )
    files["sender_is_valid"] = pd.array(
        [
            # isinstance: pandas turns a missing sender into NaN (truthy) next to real codes
            # a folder that is not a sender of the period's reporting chain is sender_unknown
            f"{p}:{s}" in scope.sender_keys if p in valid_periods and isinstance(s, str) and s else None
            for p, s in zip(files["period"], files["sender_code"], strict=True)
        ],
        dtype="boolean",
    )
    issues += _issues("submissions", files, {"period_pattern": PERIOD_RE.pattern})

    # One round trip: a file's rows are checked whatever is wrong with its period, its sender or
    # its columns, so that the sender gets every problem at once. Only a file over the row cap
    # (file_too_large) or of garbage (file_too_many_problems, below) is not itemised row by row;
    # units are judged only against a period of the calendar and a sender of its chain.
    rejected_structure = {
        i["submission_id"] for i in issues if i["severity"] == "error" and i["issue_code"] in BLOCKING
    }
    for sid, read in reads.items():  # ragged rows, repeated columns, formulas without results
        issues += [
            issue(code, sid, row_number=row, column=column, value=value)
            for code, row, column, value in read.notes
        ]
    for sid in set(reads) - rejected_structure:  # a file of garbage is not itemised row by row
        problems = _obvious_problems(reads[sid])
        if problems > MAX_ROW_PROBLEMS:
            issues.append(issue("file_too_many_problems", sid, value=str(problems)))
            rejected_structure.add(sid)
    sound = files[~files["submission_id"].isin(rejected_structure)].copy()
    sound["judged_period"] = [
        p if ok is not pd.NA and bool(ok) else None
        for p, ok in zip(sound["period"], sound["period_in_calendar"], strict=True)
    ]
    sound["judged_sender"] = [
        s if ok is not pd.NA and bool(ok) else None
        for s, ok in zip(sound["sender_code"], sound["sender_is_valid"], strict=True)
    ]
    reads, aliased = _read_aliases(sound, reads, scope)  # codes of SOURCES.md §5, not unit_unknown
    issues += aliased
    issues += _restore_leading_zeros(sound, reads, scope)  # 2020 typed for 02020
    units, values, problems, (usable, derived) = _row_frames(sound, reads, scope)
    issues += problems  # breakdowns: parts against totals, bounds per option
    issues += _issues("unit_reports", units)
    issues += declared_totals(units)  # reconcile: a declared TOTAL row against the unit rows
    issues += _issues(
        "unit_report_values", _suite_frame(values), {"indicator_codes": list(indicator_codes())}
    )
    del values

    issue_frame = pd.DataFrame(issues, columns=list(ISSUE_COLUMNS)).astype({"row_number": "Int64"})
    submissions = _verdicts(receipts, reads, files, issue_frame)
    accepted = set(submissions.loc[submissions["verdict"] != "rejected", "submission_id"])
    return BatchResult(submissions, issue_frame, _accepted_values(usable, derived, accepted))


def _files_frame(receipts: list[dict], reads: dict[str, ReadResult]) -> pd.DataFrame:
    rows = []
    for r in receipts:
        read = reads.get(r["submission_id"])
        if read is None:
            continue
        # a file without rows has no period to judge: file_no_rows says it all
        judge_period = "period" not in read.missing_columns and bool(read.unit_rows)
        rows.append(
            {
                "submission_id": r["submission_id"],
                "sender_code": r["sender_code"] or None,
                "period_count": len(read.periods) if judge_period else None,
                "periods": ", ".join(read.periods),
                "period": read.periods[0] if len(read.periods) == 1 else None,
                "unit_row_count": len(read.unit_rows) if read.shape != "unknown" else None,
                "missing_columns": ", ".join(read.missing_columns) or None,
                "unknown_columns": ", ".join(read.unknown_columns) or None,
                "missing_indicators": ", ".join(read.missing_indicators) or None,
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "submission_id",
            "sender_code",
            "period_count",
            "periods",
            "period",
            "unit_row_count",
            "missing_columns",
            "unknown_columns",
            "missing_indicators",
        ],
    )
    frame = frame.astype({"period_count": "Int64", "unit_row_count": "Int64"})
    frame.insert(0, "row_id", range(len(frame)))
    return frame


def _read_aliases(
    sound: pd.DataFrame, reads: dict[str, ReadResult], scope: Scope
) -> tuple[dict[str, ReadResult], list[dict]]:
    """A unit code that is an alias for the file's period (schemas/unit_code_aliases.csv: a code
    changed without an administrative change, SOURCES.md §5) is read as its unit's code when that
    unit is valid in the period, with one ``unit_code_alias`` (info) per row saying so."""
    codes = {a.alias_code for a in restatement.aliases()}
    out, found = dict(reads), []
    for sid, period in zip(sound["submission_id"], sound["period"], strict=True):
        p = parse_period(period) if isinstance(period, str) else None
        read = reads[sid]
        if p is None or not any(u in codes for _, u in read.unit_rows):
            continue
        mapping = {
            u: a
            for _, u in read.unit_rows
            if u in codes
            and (a := restatement.alias_for(u, p.end)) is not None
            and f"{p.code}:{a.unit_code}" in scope.unit_keys
        }
        if not mapping:
            continue
        out[sid] = replace(
            read,
            unit_rows=[(n, mapping[u].unit_code if u in mapping else u) for n, u in read.unit_rows],
            value_rows=[
                (n, q, mapping[u].unit_code if u in mapping else u, c, t) for n, q, u, c, t in read.value_rows
            ],
        )
        found += [
            issue(
                "unit_code_alias",
                sid,
                row_number=n,
                column="unit_code",
                unit_code=mapping[u].unit_code,
                value=u,
                unit_name=mapping[u].unit_name,
            )
            for n, u in read.unit_rows
            if u in mapping
        ]
    return out, found


def _row_frames(sound: pd.DataFrame, reads: dict[str, ReadResult], scope: Scope):
    codes = list(indicator_codes())
    value_rows, unit_rows = [], []
    for sid, sender, period, judged_period, judged_sender in zip(
        sound["submission_id"],
        sound["sender_code"],
        sound["period"],
        sound["judged_period"],
        sound["judged_sender"],
        strict=True,
    ):
        read = reads[sid]
        first_row = {
            unit: n for n, unit in read.unit_rows
        }  # long files: a unit's values pivot onto its first row
        for n, p, unit, column, text in read.value_rows:
            unit_row = n if read.shape == "wide" else first_row.get(unit)
            value_rows.append((sid, n, unit_row, unit, column, text, read.shape, p))
        unit_rows.extend(
            (n, unit, sid, sender, period, judged_period, judged_sender) for n, unit in read.unit_rows
        )
    values = pd.DataFrame(
        value_rows,
        columns=[
            "submission_id",
            "row_number",
            "unit_row",
            "unit_code",
            "column_name",
            "value_text",
            "shape",
            "period",
        ],
    )
    # the column as the file names it -> indicator, its options (a breakdown) and its canonical key.
    # Python lists, parsed once per distinct column: iterating pandas' string columns is slow.
    columns = [r[4] for r in value_rows]
    keys = {c: parse_key(c) for c in set(columns) if isinstance(c, str)}
    none = parse_key("")
    parsed = [keys.get(c, none) for c in columns]
    counts = [_count(r[5]) for r in value_rows]
    values["indicator_code"] = [k.indicator if k is not none else None for k in parsed]
    values["value_key"] = [k.canonical if k is not none else None for k in parsed]
    values["breakdown"] = [k.breakdown if k is not none else None for k in parsed]
    # NULL when the indicator is unknown (indicator_unknown says it): one issue per bad value
    values["breakdown_is_valid"] = pd.array(
        [k.known_options if k.known_indicator else None for k in parsed], dtype="boolean"
    )
    units = pd.DataFrame(
        unit_rows,
        columns=[
            "row_number",
            "unit_code",
            "submission_id",
            "sender_code",
            "period",
            "judged_period",
            "judged_sender",
        ],
    )

    values["value"] = pd.array(counts, dtype="Int64")
    values.insert(0, "row_id", range(len(values)))
    known = set(codes)
    broken_down = {i.code for i in indicators() if i.breakdowns}
    usable = [
        (r[0], r[2], r[1], r[3], k.indicator, k.options, v, r[4])
        for r, k, v in zip(value_rows, parsed, counts, strict=True)
        if k.known_options and k.indicator in known
    ]
    # only indicators with categories can have parts; the first of a repeated value counts. A declared
    # TOTAL row is not a unit: its parts add up the units that broke the figure down (reconcile checks
    # it against the unit rows), and nothing is derived for it.
    problems, derived = breakdowns.check([u for u in usable if u[4] in broken_down and u[3] != "TOTAL"])
    usable_frame = values[values["indicator_code"].isin(codes) & values["breakdown_is_valid"].fillna(False)]
    usable_frame = usable_frame.drop_duplicates(["submission_id", "unit_row", "value_key"])
    totals = pd.concat(
        [
            usable_frame.loc[
                usable_frame["breakdown"] == TOTAL, ["submission_id", "unit_row", "indicator_code", "value"]
            ],
            pd.DataFrame(
                [(s, u, i, v) for s, u, _, _, i, k, v, _ in derived if not k],
                columns=["submission_id", "unit_row", "indicator_code", "value"],
            ).astype({"value": "Int64"}),
        ]
    )
    # a derived total replaces an empty one (kept last)
    totals = totals[
        totals["value"].notna()
        | ~totals.duplicated(["submission_id", "unit_row", "indicator_code"], keep=False)
    ]
    totals = totals.drop_duplicates(["submission_id", "unit_row", "indicator_code"], keep="last")
    wide = totals.pivot(index=["submission_id", "unit_row"], columns="indicator_code", values="value")
    wide = wide.reindex(columns=codes).astype("Int64").reset_index()
    units = units.merge(
        wide, left_on=["submission_id", "row_number"], right_on=["submission_id", "unit_row"], how="left"
    ).drop(columns="unit_row")
    for c in codes:
        units[c] = units[c].astype("Int64")
    # Set lookups in Python: Series.isin rebuilds a list from the set on every call.
    keyed = zip(units["judged_period"], units["judged_sender"], units["unit_code"], strict=True)
    flags = [
        (None, None)
        if pd.isna(unit) or unit == "TOTAL" or pd.isna(period)
        else (
            f"{period}:{unit}" in scope.unit_keys,
            None if pd.isna(sender) else f"{period}:{sender}:{unit}" in scope.scope_keys,
        )
        for period, sender, unit in keyed
    ]
    units = units.drop(columns=["judged_period", "judged_sender"])
    units["unit_is_valid"] = pd.array([k for k, _ in flags], dtype="boolean")
    units["unit_in_sender_area"] = pd.array([a if k else None for k, a in flags], dtype="boolean")
    units.insert(0, "row_id", range(len(units)))
    return units, values, problems, (usable, derived)


# the columns the unit_report_values suite and its issues read; repeated texts as categories: a
# national half-year with breakdowns is ~550,000 values, and GX copies the frame it is given
SUITE_VALUE_COLUMNS = (
    "row_id", "submission_id", "row_number", "unit_code", "column_name", "value_key", "indicator_code",
    "value_text", "shape", "breakdown_is_valid",
)  # fmt: skip
_CATEGORIES = ("submission_id", "unit_code", "column_name", "value_key", "indicator_code", "shape")


def _suite_frame(values: pd.DataFrame) -> pd.DataFrame:
    """The values the unit_report_values suite can fail: a wide file's value of a known indicator and
    option whose text passes the suite's own value regexes (``_fails_a_value_check``) passes every
    expectation of the suite (duplicates are judged in long files only), so it is not sent: GX costs
    ~0.5 KB and ~10 us a row, and a national half-year with breakdowns is ~550,000 values."""
    texts = values["value_text"].tolist()
    known = set(indicator_codes())
    can_fail = [
        shape != "wide"
        or valid is not True
        or indicator not in known
        or (isinstance(t, str) and _fails_a_value_check(t))
        for shape, valid, indicator, t in zip(
            values["shape"].tolist(),
            values["breakdown_is_valid"].tolist(),
            values["indicator_code"].tolist(),
            texts,
            strict=True,
        )
    ]
    frame = values.loc[can_fail, list(SUITE_VALUE_COLUMNS)].reset_index(drop=True)
    frame["row_id"] = range(len(frame))  # _issues reads a failing row by its position
    return frame.astype({c: "category" for c in _CATEGORIES})


def _restore_leading_zeros(sound: pd.DataFrame, reads: dict[str, ReadResult], scope: Scope) -> list[dict]:
    """A unit code typed without its leading zeros (Excel keeps 02020 as the number 2020) is that
    code when exactly one code of the sender's area matches it (``unit_code_leading_zero``, info);
    the file's rows are read as that unit from here on."""
    found = []
    for sid, period, sender in zip(
        sound["submission_id"], sound["judged_period"], sound["judged_sender"], strict=True
    ):
        if period is None or sender is None:
            continue
        read, fixed = reads[sid], {}
        for n, unit in read.unit_rows:
            if (
                not unit
                or not unit.isdigit()
                or unit in fixed
                or f"{period}:{sender}:{unit}" in scope.scope_keys
            ):
                continue
            matches = [
                c
                for c in {unit.zfill(width) for width in CODE_WIDTHS if width > len(unit)}
                if f"{period}:{sender}:{c}" in scope.scope_keys
            ]
            if len(matches) == 1:
                fixed[unit] = matches[0]
                found.append(
                    issue(
                        "unit_code_leading_zero",
                        sid,
                        row_number=n,
                        column="unit_code",
                        unit_code=matches[0],
                        value=unit,
                    )
                )
        if fixed:
            read.unit_rows = [(n, fixed.get(u, u)) for n, u in read.unit_rows]
            read.value_rows = [(n, p, fixed.get(u, u), i, t) for n, p, u, i, t in read.value_rows]
    return found


@cache
def _value_checks() -> tuple[tuple[re.Pattern, bool], ...]:
    """The value_text regexes of the unit_report_values suite (their one home), with whether a
    value fails by matching (not_match_regex) or by not matching (match_regex)."""
    checks = []
    for e in suite_spec("unit_report_values")["expectations"]:
        if e["kwargs"].get("column") == "value_text" and "regex" in e["kwargs"]:
            checks.append((re.compile(e["kwargs"]["regex"]), "not_match" in e["type"]))
    return tuple(checks)


@lru_cache(maxsize=1 << 16)
def _fails_a_value_check(text: str) -> bool:
    """Cached: a national batch has ~200,000 values but few distinct texts (small counts)."""
    return any(bool(rx.search(text)) == fails_on_match for rx, fails_on_match in _value_checks())


def _obvious_problems(read: ReadResult) -> int:
    bad = sum(1 for _, _, _, _, text in read.value_rows if text is not None and _fails_a_value_check(text))
    if read.shape == "long":
        keys = [(unit, indicator) for _, _, unit, indicator, _ in read.value_rows]
        bad += len(keys) - len(set(keys))
    return bad


@lru_cache(maxsize=1 << 16)
def _count(text) -> int | None:
    """The value as a count if it is ASCII digits below the cap, else None (the suite says why).
    Parsed in Python and capped before any cast: no text can overflow Int64 or int()."""
    if not isinstance(text, str) or not INTEGER_RE.fullmatch(text):
        return None
    digits = text.strip().lstrip("0") or "0"
    return int(digits) if len(digits) <= VALUE_MAX_DIGITS else None


def _issues(suite: str, frame: pd.DataFrame, parameters: dict | None = None) -> list[dict]:
    found = []
    if frame.empty:
        return found
    # row_id is the row's position (range(len(frame))): plain lists, not a .loc per failing row
    columns = {c: frame[c].tolist() for c in frame.columns}
    for meta, row_ids in run_suite(suite, frame, parameters):
        code = meta["rule"]
        for rid in row_ids:
            row = {c: values[rid] for c, values in columns.items()}
            column = meta["column"].format(column_name=row.get("column_name", ""))
            value = row.get(meta["value"]) if meta.get("value") else None
            found.append(
                issue(
                    code,
                    row["submission_id"],
                    row_number=_none(row.get("row_number")),
                    column=column,
                    unit_code=_none(row.get("unit_code")),
                    value=_none(value),
                    **MESSAGE_FIELDS.get(code, {}),
                )
            )
    return found


def _none(v):
    return None if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)) else v


def _verdicts(receipts, reads, files, issues: pd.DataFrame) -> pd.DataFrame:
    severity = issues.groupby(["submission_id", "severity"]).size().unstack(fill_value=0)
    period_of = dict(zip(files["submission_id"], files["period"], strict=True))
    rows = []
    for r in receipts:
        sid = r["submission_id"]
        errors = int(severity.at[sid, "error"]) if "error" in severity and sid in severity.index else 0
        warnings = int(severity.at[sid, "warning"]) if "warning" in severity and sid in severity.index else 0
        read = reads.get(sid)
        rows.append(
            {
                **{k: r[k] for k in ("submission_id", "file_name", "archive_path", "received_at")},
                "sender_code": r["sender_code"] or None,
                "file_sha256": r["sha256"],
                "period": period_of.get(sid),
                "file_format": Path(r["file_name"]).suffix.lower().lstrip(".") or None,
                "shape": read.shape if read else "unreadable",
                "verdict": "rejected" if errors else ("accepted_with_warnings" if warnings else "accepted"),
                "error_count": errors,
                "warning_count": warnings,
                "unit_row_count": len(read.unit_rows) if read and read.shape != "unknown" else None,
            }
        )
    return pd.DataFrame(rows).astype({"unit_row_count": "Int64"})


def _accepted_values(usable: list[tuple], derived: list[tuple], accepted: set[str]) -> pd.DataFrame:
    """The figures to store: each value of a known indicator and option (an empty breakdown cell
    is no figure), a derived value where the file has parts but no figure, one option column per
    category (NULL = all options) and the ``breakdown`` key. ``usable``/``derived``: rows
    ``(submission_id, unit_row, row_number, unit_code, indicator, options, value, column)``."""
    rows = [r for r in usable if r[0] in accepted and (not r[5] or r[6] is not None)]
    stated = {(r[0], r[3], r[4], r[5]) for r in rows if r[6] is not None}
    mine = [d for d in derived if d[0] in accepted]
    filled = {(d[0], d[3], d[4], d[5]) for d in mine}
    rows = [r for r in rows if r[5] or (r[0], r[3], r[4], r[5]) not in filled]  # derived replaces empty
    rows += [d for d in mine if (d[0], d[3], d[4], d[5]) not in stated]
    cats = category_codes()
    options = [dict(r[5]) for r in rows]
    out = pd.DataFrame(
        {
            "submission_id": [r[0] for r in rows],
            "row_number": pd.array([r[2] for r in rows], dtype="Int64"),
            "unit_code": [r[3] for r in rows],
            "is_declared_total": [r[3] == "TOTAL" for r in rows],
            "indicator_code": [r[4] for r in rows],
            "breakdown": [breakdown_key(o) for o in options],
            **{c: pd.array([o.get(c) for o in options], dtype="string") for c in cats},
            "value": pd.array([r[6] for r in rows], dtype="Int64"),
        }
    )
    return out
