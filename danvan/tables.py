"""The one plain-text table printer (the CLI's tables, the benchmark's report)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any


def table(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    max_width: int = 60,
    *,
    right: Collection[int] | None = None,
) -> str:
    """A plain text table: a header, a rule, the rows. NULL shows as empty, long values are cut.

    ``right``: the column indexes to right-align; default, the columns whose values are all numbers.
    """

    def cell(v: Any) -> str:
        s = "" if v is None else str(v)
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    body = [[cell(v) for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in body)]) for i, c in enumerate(columns)]
    if right is None:
        right = {
            i
            for i in range(len(columns))
            if rows and all(isinstance(r[i], int | float) or r[i] is None for r in rows)
        }

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if i in right else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        )

    out = [line(columns), "  ".join("-" * w for w in widths), *(line(r) for r in body)]
    return "\n".join(s.rstrip() for s in out)
