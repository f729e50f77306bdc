"""Groups of units (cụm thi đua) as data: ``schemas/unit_groups.yaml``, versioned by epochs like the
reporting chain (transforms/chain.py). Seeded as ``raw.unit_groups`` (transforms/warehouse.py); a
period's members are ``intermediate.int_period_groups``, a group's figures the ``group_totals`` mart,
and ``danvan report --group`` takes a group's code or name.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import yaml

from transforms.config import SCHEMAS_DIR

GROUPS_YAML = SCHEMAS_DIR / "unit_groups.yaml"
MEMBER_LEVELS = ("district", "commune")
COLUMNS = (
    "group_code",
    "group_name",
    "province_code",
    "member_level",
    "member_code",
    "valid_from",
    "valid_to",
)


@cache
def members(path: Path = GROUPS_YAML) -> tuple[dict, ...]:
    """One row per group x epoch x member (COLUMNS). Raises ValueError on a malformed file: dates
    that are not dates, an unknown level, overlapping epochs of a group, a unit in two groups of a
    province at once, a group code or name used twice."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rows, problems, seen = [], [], {}
    for group in raw.get("groups") or []:
        code, name, province = str(group["code"]), str(group["name"]), str(group["province"])
        for key in (code.casefold(), name.casefold()):
            if key in seen and seen[key] != code:
                problems.append(f"group code or name {key!r} used twice")
            seen[key] = code
        spans = []
        for epoch in group.get("epochs") or []:
            start, end = epoch.get("valid_from"), epoch.get("valid_to")
            if not isinstance(start, date) or (end is not None and not isinstance(end, date)):
                problems.append(f"{code}: epoch dates must be dates: {start!r}, {end!r}")
                continue
            if end is not None and end <= start:
                problems.append(f"{code}: epoch ends before it starts ({start} .. {end})")
            if epoch.get("level") not in MEMBER_LEVELS:
                problems.append(f"{code}: level must be one of {MEMBER_LEVELS}, not {epoch.get('level')!r}")
            for other in spans:
                if start < (other[1] or date.max) and other[0] < (end or date.max):
                    problems.append(f"{code}: epochs overlap ({other[0]} and {start})")
            spans.append((start, end))
            for member in epoch.get("members") or []:
                rows.append(
                    dict(
                        zip(
                            COLUMNS,
                            (code, name, province, epoch.get("level"), str(member), start, end),
                            strict=True,
                        )
                    )
                )
    problems += _shared_members(rows)
    if problems:
        raise ValueError(f"{path.name}: " + "; ".join(problems))
    return tuple(rows)


def _shared_members(rows: list[dict]) -> list[str]:
    out = []
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            if (
                a["member_code"] == b["member_code"]
                and a["province_code"] == b["province_code"]
                and a["valid_from"] < (b["valid_to"] or date.max)
                and b["valid_from"] < (a["valid_to"] or date.max)
            ):
                out.append(f"unit {a['member_code']} is in {a['group_code']} and {b['group_code']} at once")
    return out


def resolve(name: str, path: Path = GROUPS_YAML) -> str | None:
    """The code of the group ``name`` names (its code or its name, any case), or None."""
    key = name.strip().casefold()
    for row in members(path):
        if key in (row["group_code"].casefold(), row["group_name"].casefold()):
            return row["group_code"]
    return None


def names(path: Path = GROUPS_YAML) -> list[str]:
    """Every group as ``CODE (name)``, for messages."""
    return sorted({f"{r['group_code']} ({r['group_name']})" for r in members(path)})
