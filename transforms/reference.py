"""The reference geography as of a period: which units exist in a period, with their level, name,
district and province then (the 2025 reform abolished districts and reused codes).

``int_period_units.sql`` is the one definition of that hierarchy; this module runs it. A
``Reference`` is an explicit object, built once per batch or process (the seeds and their staging
models on a private in-memory DuckDB) and asked for as many period sets as needed: validation
(``scope``), the crosschecks and the generator (``period_units``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from transforms import sql
from transforms.periods import parse_period
from transforms.warehouse import load_reference, run_models

PERIOD_UNIT_COLUMNS = (
    "period_code",
    "unit_code",
    "unit_level",
    "unit_name",
    "district_code",
    "province_code",
)


@dataclass(frozen=True)
class Scope:
    """Which keys are valid for the periods of a batch (see int_period_units)."""

    unit_keys: frozenset[str]  # period:code of every unit valid in the period (senders included)
    scope_keys: frozenset[str]  # period:ancestor:unit, ancestor in (unit, district, province)


class Reference:
    """The as-of hierarchy over the reference admin units plus ``extra_units`` (the same columns as
    schemas/reference/admin_units.csv: a CSV path, or a frame, e.g. a scaled benchmark's synthetic
    communes). Safe to share between threads; close() when done (or let it be collected)."""

    def __init__(self, extra_units: Path | pd.DataFrame | None = None):
        self._con = duckdb.connect()
        self._lock = threading.Lock()
        load_reference(self._con, extra_units if isinstance(extra_units, Path) else None)
        if isinstance(extra_units, pd.DataFrame) and not extra_units.empty:
            self._con.register("extra_units_frame", extra_units.astype(str))
            sql.run(self._con, "reference/insert_extra_units")
            self._con.unregister("extra_units_frame")
        run_models(self._con, only=["stg_reference__admin_units", "stg_reference__periods"])

    def period_units(self, period_codes: Iterable[str]) -> pd.DataFrame:
        """int_period_units for these periods (codes that are not periods of the calendar are
        ignored): each unit valid in a period, with its level, name, district and province as of
        the period. Columns PERIOD_UNIT_COLUMNS, ordered by period and unit."""
        with self._lock:
            if not self._build(period_codes):
                return pd.DataFrame(columns=list(PERIOD_UNIT_COLUMNS))
            return sql.run(self._con, "reference/period_units").df()

    def scope(self, period_codes: Iterable[str]) -> Scope:
        """The keys validation looks up: units valid in each period, and the area of each ancestor."""
        with self._lock:
            rows = (
                sql.run(self._con, "reference/period_units").fetchall() if self._build(period_codes) else []
            )
        unit_keys = frozenset(f"{p}:{u}" for p, u, *_ in rows)
        scope = frozenset(f"{p}:{a}:{u}" for p, u, _, _, d, pr in rows for a in {u, d, pr} if a)
        return Scope(unit_keys, scope)

    def close(self) -> None:
        self._con.close()

    def _build(self, period_codes: Iterable[str]) -> bool:
        """int_period_units for the calendar periods among ``period_codes``; False if there are none."""
        codes = sorted({p.code for p in map(parse_period, set(period_codes)) if p})
        if not codes:
            return False
        sql.run(self._con, "reference/periods_in_scope", {"period_codes": codes})
        run_models(self._con, only=["int_period_units"])
        return True
