"""History on today's map (issue 12): the rules the 2025 crosswalk alone does not give.

- ``population_indicators``: the indicators whose whole figure follows a split commune's population
  to the new commune the NSO note "toàn bộ dân số" names (schemas/restatement.yaml says which and why).
- ``aliases``: codes a report may still carry for a unit whose code changed without an
  administrative change (schemas/reference/SOURCES.md §5: Cầu Đất, seven Hồ Chí Minh City wards,
  Ba Chẽ), kept in schemas/unit_code_aliases.csv; validation reads such a code as its unit's
  (``unit_code_alias``, info) instead of rejecting it as ``unit_unknown``.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml

from transforms.config import REFERENCE_DIR, SCHEMAS_DIR

RULES_FILE = SCHEMAS_DIR / "restatement.yaml"
ALIASES_FILE = SCHEMAS_DIR / "unit_code_aliases.csv"
COMMUNE_CROSSWALK = REFERENCE_DIR / "crosswalk_2025.csv"
PROVINCE_CROSSWALK = REFERENCE_DIR / "province_crosswalk_2025.csv"


@cache
def population_indicators() -> tuple[str, ...]:
    return tuple(yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))["population_indicators"])


@dataclass(frozen=True)
class Alias:
    alias_code: str
    unit_code: str
    unit_name: str
    valid_from: date
    valid_to: date | None  # exclusive; None = still in use
    source: str


@cache
def aliases() -> tuple[Alias, ...]:
    with ALIASES_FILE.open(encoding="utf-8", newline="") as f:
        return tuple(
            Alias(
                r["alias_code"],
                r["unit_code"],
                r["unit_name"],
                date.fromisoformat(r["valid_from"]),
                date.fromisoformat(r["valid_to"]) if r["valid_to"] else None,
                r["source"],
            )
            for r in csv.DictReader(f)
        )


def alias_for(code: str, period_end: date) -> Alias | None:
    """The alias ``code`` is for a period ending on ``period_end`` (the hierarchy of a period is the
    one in force at its end), or None."""
    for a in aliases():
        if (
            a.alias_code == code
            and a.valid_from <= period_end
            and (a.valid_to is None or period_end < a.valid_to)
        ):
            return a
    return None


@cache
def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
