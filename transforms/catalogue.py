"""The indicator catalogue (schemas/indicators.yaml) as Python values.

A value is (unit, period, indicator, one option per category it is broken down by, or none: the
total). Its key in a file and in the pipeline is ``indicator`` (the total) or
``indicator:option[:option...]`` (a breakdown; options name their category, being unique across
categories; ``indicator:category=option`` is accepted too). In the warehouse the options are
columns named after their categories (NULL = all options) and ``breakdown`` is a text key of them
(``total``, ``field=kinh_te``, ``field=kinh_te;holder=tap_the``: categories in alphabetical order,
so a catalogue edit never changes the key of a stored value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import yaml

from transforms.config import SCHEMAS_DIR

CATALOGUE = SCHEMAS_DIR / "indicators.yaml"
TOTAL = "total"  # the breakdown key of a total (every category NULL)
VALUE_TYPES = ("count", "amount_vnd")
TIME_AGGREGATIONS = ("sum", "last")  # sum: a flow; last: a stock, the value at the end of the window
# category codes become warehouse columns: identifiers that never clash with a column of a values table
_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]{0,39}")
RESERVED_COLUMNS = frozenset(
    "submission_id row_number unit_code is_declared_total indicator_code breakdown value period "
    "period_code sender_code unit_level unit_name district_code district_name province_code "
    "province_name commune_code commune_name reported_units sector body_code body_name "
    "expected_senders reporting_senders group_code group_name".split()  # the totals marts' own columns
)


@dataclass(frozen=True)
class Option:
    code: str
    label_vi: str
    label_en: str
    sort_order: int


@dataclass(frozen=True)
class Category:
    code: str
    label_vi: str
    label_en: str
    options: tuple[Option, ...]
    sort_order: int

    @property
    def option_codes(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.options)


@dataclass(frozen=True)
class Indicator:
    code: str
    label_vi: str
    label_en: str
    group: str
    sort_order: int
    value_type: str = "count"
    time_aggregation: str = "sum"
    breakdowns: tuple[str, ...] = ()
    legacy_columns: tuple[tuple[str, str], ...] = ()  # (old column, indicator:option)


@dataclass(frozen=True)
class Catalogue:
    indicators: tuple[Indicator, ...]
    categories: tuple[Category, ...]


def _load() -> Catalogue:
    raw = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    categories = tuple(
        Category(
            c["code"],
            c["label_vi"],
            c["label_en"],
            tuple(Option(o["code"], o["label_vi"], o["label_en"], k) for k, o in enumerate(c["options"], 1)),
            n,
        )
        for n, c in enumerate(raw.get("categories") or [], start=1)
    )
    found = tuple(
        Indicator(
            i["code"],
            i["label_vi"],
            i["label_en"],
            i["group"],
            n,
            i.get("value_type", "count"),
            i.get("time_aggregation", "sum"),
            tuple(i.get("breakdowns") or ()),
            tuple((i.get("legacy_columns") or {}).items()),
        )
        for n, i in enumerate(raw["indicators"], start=1)
    )
    _check(Catalogue(found, categories))
    return Catalogue(found, categories)


def _check(cat: Catalogue) -> None:
    """A catalogue that cannot be read unambiguously is refused when loaded, not at a sender's file."""
    options = [o.code for c in cat.categories for o in c.options]
    if len(options) != len(set(options)):
        raise ValueError(f"{CATALOGUE.name}: option codes must be unique across categories")
    names = {c.code for c in cat.categories}
    for c in cat.categories:
        if not _IDENTIFIER.fullmatch(c.code) or c.code in RESERVED_COLUMNS:
            raise ValueError(f"{CATALOGUE.name}: category code {c.code!r} cannot be a column name")
    for i in cat.indicators:
        if i.value_type not in VALUE_TYPES or i.time_aggregation not in TIME_AGGREGATIONS:
            raise ValueError(f"{CATALOGUE.name}: {i.code}: value_type/time_aggregation unknown")
        if set(i.breakdowns) - names:
            raise ValueError(f"{CATALOGUE.name}: {i.code}: unknown categories {set(i.breakdowns) - names}")


@cache
def catalogue() -> Catalogue:
    return _load()


def reload() -> None:
    """Forget the catalogue read so far (a test that edits it; a process reads it once)."""
    catalogue.cache_clear()
    _columns.cache_clear()


def indicators() -> tuple[Indicator, ...]:
    return catalogue().indicators


def indicator_codes() -> tuple[str, ...]:
    return tuple(i.code for i in indicators())


def categories() -> tuple[Category, ...]:
    return catalogue().categories


def category_codes() -> tuple[str, ...]:
    """Every category, in alphabetical order: the order of the options in a key and in raw."""
    return tuple(sorted(c.code for c in categories()))


def stock_codes() -> tuple[str, ...]:
    """Indicators whose time aggregation is ``last`` (a stock: never added over time)."""
    return tuple(i.code for i in indicators() if i.time_aggregation == "last")


def breakdown_key(options: dict[str, str]) -> str:
    """``total`` or ``cat=option;cat=option`` (categories alphabetical)."""
    return ";".join(f"{c}={options[c]}" for c in sorted(options)) if options else TOTAL


def value_key(indicator: str, options: dict[str, str]) -> str:
    """The canonical key of a value: ``indicator`` or ``indicator:option[:option]``."""
    return ":".join([indicator, *(options[c] for c in sorted(options))])


@dataclass(frozen=True)
class Key:
    """A parsed value key: the indicator, its options ``{category: option}``, whether both are
    known, its ``breakdown`` key and its ``canonical`` form (computed once: a batch reads many)."""

    indicator: str
    options: tuple[tuple[str, str], ...]
    known_indicator: bool
    known_options: bool
    breakdown: str = TOTAL
    canonical: str = ""


def _key(indicator: str, options: dict, known_indicator: bool, known_options: bool) -> Key:
    return Key(
        indicator,
        tuple(sorted(options.items())),
        known_indicator,
        known_options,
        breakdown_key(options),
        value_key(indicator, options),
    )


@cache
def _columns() -> tuple[dict, dict, dict]:
    by_code = {i.code: i for i in indicators()}
    option_of = {
        i.code: {o.code: c.code for c in categories() if c.code in i.breakdowns for o in c.options}
        for i in indicators()
    }
    legacy = {old: new for i in indicators() for old, new in i.legacy_columns}
    return by_code, option_of, legacy


def parse_key(text: str) -> Key:
    """``indicator``, ``indicator:option[:option]``, ``indicator:category=option``, or a legacy column
    (``models_recognized_collective``: ``models_recognized:tap_the``). Never raises: an unknown
    indicator or option is said by the flags."""
    by_code, option_of, legacy = _columns()
    text = legacy.get(text, text)
    indicator, *parts = text.split(":")
    if indicator not in by_code:
        return _key(indicator, {}, False, False)
    allowed, options, ok = option_of[indicator], {}, True
    for part in parts:
        category, _, option = part.rpartition("=")
        found = allowed.get(option)
        if found is None or (category and category != found) or found in options:
            ok = False
            options[category or f"?{len(options)}"] = option
            continue
        options[found] = option
    return _key(indicator, options, True, ok)


def is_value_column(name: str) -> bool:
    """A wide file's column that holds figures: an indicator, a known breakdown of one, a legacy name."""
    key = parse_key(name)
    return key.known_indicator and key.known_options


def breakdown_columns(indicator: Indicator) -> list[str]:
    """The one-way breakdown columns of ``indicator`` in a wide file (``indicator:option``)."""
    by_cat = {c.code: c for c in categories()}
    return [f"{indicator.code}:{o}" for c in indicator.breakdowns for o in by_cat[c].option_codes]


def column_of(indicator: str, breakdown: str) -> str:
    """The key of a stored value, as a wide file's column names it: ``models_recognized`` (the
    total) or ``models_recognized:kinh_te`` (``breakdown`` = ``field=kinh_te``)."""
    if breakdown in (None, TOTAL):
        return indicator
    return ":".join([indicator, *(pair.partition("=")[2] for pair in breakdown.split(";"))])


def wide_columns() -> list[str]:
    """Every figure column of the wide template, in catalogue order: each indicator, then its
    one-way breakdowns (``models_recognized``, ``models_recognized:tap_the``, ...)."""
    return [c for i in indicators() for c in (i.code, *breakdown_columns(i))]
