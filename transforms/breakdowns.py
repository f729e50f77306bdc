"""Breakdowns of one file's figures: parts against totals, derived totals, bounds per option.

Pure: a file's parsed values in, issues and derived values out (validate calls it on a batch).
For one unit row and indicator, the values are keyed by their options (``()`` = the total,
``(("field", "kinh_te"),)``, ``(("field", "kinh_te"), ("holder", "tap_the"))``, ...). For every
value K and every category c the indicator is broken down by and K is not, the parts of K by c are
the values that add c's options to K's:
- ``breakdown_parts_ne_total`` (error): K is reported and its parts are too: when every option of
  c is reported the parts must add up to K; when only some are, they must not exceed it.
- derived: K is not reported (absent or empty) and some parts are: K is the sum of the parts
  (a category whose options are all reported wins, then the indicator's first category). Derived
  values go to the warehouse like reported ones, so "the total" (every option NULL) always exists.
- per option bounds (``PER_OPTION_BOUNDS``): where two indicators both report the same option,
  the bound holds for it as it does for their totals (recognised <= registered for ``kinh_te``).
"""

from __future__ import annotations

from collections import defaultdict

from transforms.catalogue import categories, indicators
from transforms.rules import issue

# (indicator, its upper bound, rule code): the rule that holds for the totals (in the unit_reports
# suite) holds for every option both report.
PER_OPTION_BOUNDS = (("models_recognized", "models_registered", "models_recognized_exceeds_registered"),)


def check(rows: list[tuple]) -> tuple[list[dict], list[tuple]]:
    """``rows``: ``(submission_id, unit_row, row_number, unit_code, indicator, options, value,
    column)`` with ``options`` a sorted tuple of (category, option) pairs and ``value`` an int or
    None. Returns (issues, derived) with derived rows in the same shape (column None)."""
    groups: dict[tuple, dict[tuple, tuple]] = defaultdict(dict)
    for sid, unit_row, row_number, unit, indicator, options, value, column in rows:
        groups[(sid, unit_row, indicator)].setdefault(options, (value, row_number, unit, column))
    breakdowns = {i.code: i.breakdowns for i in indicators()}
    sizes = {c.code: len(c.options) for c in categories()}
    found, derived = [], []
    for (sid, unit_row, indicator), held in groups.items():
        if len(held) == 1 and () in held:
            continue  # a total alone: nothing to compare
        cats = breakdowns.get(indicator, ())
        for size in range(max(len(k) for k in held) - 1, -1, -1):
            # the parts of each candidate by each category: one pass over the values one size up
            parts_of: dict[tuple, dict[str, dict]] = defaultdict(lambda: defaultdict(dict))
            for k, v in held.items():
                if len(k) == size + 1 and v[0] is not None:
                    for category, _ in k:
                        parts_of[_drop(k, category)][category][k] = v
            candidates = {k for k in held if len(k) == size} | set(parts_of)
            for key in sorted(candidates):
                stated, sums = held.get(key), []
                by_category = parts_of.get(key, {})
                for category in cats:
                    parts = by_category.get(category)
                    if not parts:
                        continue
                    total = sum(v[0] for v in parts.values())
                    complete = len(parts) == sizes[category]
                    sums.append((not complete, total))
                    if stated is not None and stated[0] is not None and stated[3] is not None:
                        if (complete and total != stated[0]) or (not complete and total > stated[0]):
                            found.append(_mismatch(sid, stated, category, parts, total))
                if (stated is None or stated[0] is None) and sums:
                    value = min(sums, key=lambda s: s[0])[
                        1
                    ]  # a complete category first, then catalogue order
                    some = next(iter(held.values()))
                    row_number = stated[1] if stated else some[1]
                    held[key] = (value, row_number, some[2], None)
                    derived.append((sid, unit_row, row_number, some[2], indicator, key, value, None))
    found += _bounds(groups)
    return found, derived


def _drop(key: tuple, category: str) -> tuple:
    return tuple((c, o) for c, o in key if c != category)


def _mismatch(sid: str, stated: tuple, category: str, parts: dict, total: int) -> dict:
    value, row_number, unit, column = stated
    listed = " + ".join(f"{v[3] or dict(k)[category]} {v[0]}" for k, v in sorted(parts.items()))
    return issue(
        "breakdown_parts_ne_total",
        sid,
        row_number=row_number,
        column=column,
        unit_code=unit,
        value=value,
        category=category,
        parts=listed,
        parts_sum=total,
    )


def _bounds(groups: dict) -> list[dict]:
    found = []
    for indicator, bound, code in PER_OPTION_BOUNDS:
        for (sid, unit_row, ind), held in groups.items():
            if ind != indicator or (sid, unit_row, bound) not in groups:
                continue
            limits = groups[(sid, unit_row, bound)]
            for key, (value, row_number, unit, column) in sorted(held.items()):
                limit = limits.get(key, (None,))[0]
                if key and column is not None and value is not None and limit is not None and value > limit:
                    found.append(
                        issue(code, sid, row_number=row_number, column=column, unit_code=unit, value=value)
                    )
    return found
