"""The rule catalogue (expectations/rules.yaml) and turning a finding into a bilingual issue."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml

from transforms.config import EXPECTATIONS_DIR
from transforms.records import Issue

ISSUE_COLUMNS = (
    "submission_id",
    "row_number",
    "column_name",
    "unit_code",
    "issue_code",
    "severity",
    "value",
    "message_vi",
    "message_en",
)


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    stage: str
    checks: str
    message_vi: str
    message_en: str
    fix_vi: str
    fix_en: str


@cache
def rules() -> dict[str, Rule]:
    raw = yaml.safe_load((EXPECTATIONS_DIR / "rules.yaml").read_text(encoding="utf-8"))
    return {r["code"]: Rule(**r) for r in raw["rules"]}


class _Blank(dict):
    def __missing__(self, key):  # a template placeholder with no value prints empty, never raises
        return ""


def issue(
    code: str,
    submission_id: str,
    *,
    row_number=None,
    column=None,
    unit_code=None,
    value=None,
    detail: str = "",
    **extra,
) -> Issue:
    """One problem, as stored in submission_issues and shown to the sender. ``extra`` fills a
    rule's own placeholders (numbers in both languages, e.g. a computed sum), kept out of ``value``."""
    rule = rules()[code]
    text = None if value is None else str(value)
    fields = _Blank(
        value=text if text is not None else "", column=column or "", unit_code=unit_code or "", detail=detail
    )
    fields.update({k: "" if v is None else str(v) for k, v in extra.items()})
    return Issue(
        **{
            "submission_id": submission_id,
            "row_number": None if row_number is None else int(row_number),
            "column_name": column,
            "unit_code": unit_code,
            "issue_code": code,
            "severity": rule.severity,
            "value": text,
            "message_vi": rule.message_vi.format_map(fields),
            "message_en": rule.message_en.format_map(fields),
        }
    )
