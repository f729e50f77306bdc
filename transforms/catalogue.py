"""The indicator catalogue (schemas/indicators.yaml) as Python values."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml

from transforms.config import SCHEMAS_DIR


@dataclass(frozen=True)
class Indicator:
    code: str
    label_vi: str
    label_en: str
    group: str
    sort_order: int


@cache
def indicators() -> tuple[Indicator, ...]:
    raw = yaml.safe_load((SCHEMAS_DIR / "indicators.yaml").read_text(encoding="utf-8"))
    return tuple(
        Indicator(i["code"], i["label_vi"], i["label_en"], i["group"], n)
        for n, i in enumerate(raw["indicators"], start=1)
    )


def indicator_codes() -> tuple[str, ...]:
    return tuple(i.code for i in indicators())
