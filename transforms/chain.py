"""The reporting chain as data: which senders report for which units, by epoch
(``schemas/reporting_chain.yaml``), and the non-territorial reporting bodies registered per province
(``schemas/reporting_bodies.csv``). Both are seeded as raw tables (transforms/warehouse.py); the
chain unit by unit is ``intermediate.int_reporting_chain``, a period's is ``int_period_chain``.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

import yaml

from transforms.config import SCHEMAS_DIR

CHAIN_YAML = SCHEMAS_DIR / "reporting_chain.yaml"
BODIES_CSV = SCHEMAS_DIR / "reporting_bodies.csv"
LEVELS = ("province", "district", "commune", "body")
REPORTS = ("own", "communes")
# A body's code can never be a GSO code (all digits): letters, the province, a sequence (CQ06-01).
BODY_CODE = re.compile(r"[A-Z]{2}\d{2}-\d{2}")


@cache
def epochs() -> tuple[dict, ...]:
    """One row per epoch x sender level x what it reports: valid_from, valid_to (exclusive, None =
    open), sender_level, reports, is_expected."""
    raw = yaml.safe_load(CHAIN_YAML.read_text(encoding="utf-8"))
    rows = []
    for epoch in raw["epochs"]:
        start, end = epoch["valid_from"], epoch.get("valid_to")
        if not isinstance(start, date) or (end is not None and not isinstance(end, date)):
            raise ValueError(f"{CHAIN_YAML.name}: epoch dates must be dates: {start!r}, {end!r}")
        for sender in epoch["senders"]:
            if sender["level"] not in LEVELS or not set(sender["reports"]) <= set(REPORTS):
                raise ValueError(f"{CHAIN_YAML.name}: unknown level or report kind in {sender}")
            for kind in sender["reports"]:
                rows.append(
                    {
                        "valid_from": start,
                        "valid_to": end,
                        "sender_level": sender["level"],
                        "reports": kind,
                        "is_expected": bool(sender.get("expected", True)),
                    }
                )
    return tuple(rows)
