"""The reference geography as of a period: which units exist in a period, with their level, name,
district and province then (the 2025 reform abolished districts and reused codes), and the
reporting chain of a period: which folders may send and which units each may report.

``int_period_units.sql`` is the one definition of that hierarchy, ``int_period_chain.sql`` of the
chain of a period (over ``int_reporting_chain``, built once per Reference); this module runs them. A
``Reference`` is an explicit object: its seeds (admin units plus any extra units, the period
calendar) and their staging models are loaded once, on a private in-memory DuckDB, and never
change afterwards. Each question (``period_units``, ``period_chain``, ``scope``) runs the model on its own cursor,
over the periods asked for in a cursor-local temp table, so one Reference can serve many batches
and threads: ``Reference.shared(extra_units)`` is the one a process keeps per extra-units file.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import duckdb
import pandas as pd

from transforms import sql
from transforms.periods import parse_period
from transforms.warehouse import CONNECTION_CONFIG, load_reference, models, run_models

PERIOD_UNIT_COLUMNS = (
    "period_code",
    "unit_code",
    "unit_level",
    "unit_name",
    "district_code",
    "province_code",
)

PERIOD_CHAIN_COLUMNS = (
    "period_code",
    "sender_code",
    "sender_kind",
    "sender_name",
    "sector",
    "province_code",
    "unit_code",
    "unit_level",
    "is_expected",
)


@dataclass(frozen=True)
class Scope:
    """Which keys are valid for the periods of a batch (int_period_units, int_period_chain)."""

    unit_keys: frozenset[str]  # period:code of every unit valid in the period, and every body
    scope_keys: frozenset[str]  # period:sender:unit of the reporting chain of the period
    sender_keys: frozenset[str]  # period:sender of every sender in the chain of the period


class Reference:
    """The as-of hierarchy over the reference admin units plus ``extra_units`` (the same columns as
    schemas/reference/admin_units.csv: a CSV path, or a frame, e.g. a scaled benchmark's synthetic
    communes). Read-only once built: safe to share between batches and threads."""

    # built once per Reference: the staging of its seeds and the chain, unit by unit
    SEEDED_MODELS: ClassVar[tuple[str, ...]] = (
        "stg_reference__admin_units",
        "stg_reference__periods",
        "stg_reference__reporting_chain",
        "stg_reference__reporting_bodies",
        "int_reporting_chain",
    )
    _shared: ClassVar[dict[tuple | None, Reference]] = {}
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, extra_units: Path | pd.DataFrame | None = None):
        self._con = duckdb.connect(config=CONNECTION_CONFIG)
        load_reference(self._con, extra_units if isinstance(extra_units, Path) else None)
        if isinstance(extra_units, pd.DataFrame) and not extra_units.empty:
            self._con.register("extra_units_frame", extra_units.astype(str))
            sql.run(self._con, "reference/insert_extra_units")
            self._con.unregister("extra_units_frame")
        run_models(self._con, only=[*self.SEEDED_MODELS])
        sql.run(self._con, "reference/create_periods_in_scope")
        by_name = {m.name: m.sql for m in models()}
        self._hierarchy = by_name["int_period_units"]
        self._chain = by_name["int_period_chain"]
        self._scopes: dict[str, Scope] = {}  # by calendar period, newest last
        self._units: dict[str, pd.DataFrame] = {}  # period_units by calendar period, newest last
        self._scopes_lock = threading.Lock()
        self._crosswalk: pd.DataFrame | None = None

    @classmethod
    def shared(cls, extra_units: Path | None = None) -> Reference:
        """The process's Reference for this extra-units file as it is now (rebuilt if it changed)."""
        key = None
        if extra_units is not None and extra_units.exists():
            stat = extra_units.stat()
            key = (str(extra_units.resolve()), stat.st_mtime_ns, stat.st_size)
        with cls._shared_lock:
            if key not in cls._shared:
                cls._shared[key] = cls(extra_units if key else None)
            return cls._shared[key]

    def period_units(self, period_codes: Iterable[str]) -> pd.DataFrame:
        """int_period_units for these periods (codes that are not periods of the calendar are
        ignored): each unit valid in a period, with its level, name, district and province as of
        the period. Columns PERIOD_UNIT_COLUMNS, ordered by period and unit.

        Each period's units are kept (the UNITS_KEPT periods asked last): the crosschecks ask
        for every period of a history at each batch, and the Reference never changes."""
        codes = self._calendar_codes(period_codes)
        if not codes:
            return pd.DataFrame(columns=list(PERIOD_UNIT_COLUMNS))
        with self._scopes_lock:  # read once: another thread may evict entries meanwhile
            held = {c: self._units[c] for c in codes if c in self._units}
        missing = [c for c in codes if c not in held]
        if missing:
            cur = self._scoped(missing)
            try:
                found = cur.sql(self._hierarchy).df()[list(PERIOD_UNIT_COLUMNS)]
            finally:
                cur.close()
            found = found.sort_values(["period_code", "unit_code"], ignore_index=True)
            parts = dict(tuple(found.groupby("period_code", sort=False)))
            held |= {c: parts.get(c, found.iloc[:0]).reset_index(drop=True) for c in missing}
        with self._scopes_lock:
            for code in codes:  # the newest asked last
                self._units.pop(code, None)
                self._units[code] = held[code]
            while len(self._units) > self.UNITS_KEPT:
                del self._units[next(iter(self._units))]
        return pd.concat([held[c] for c in codes], ignore_index=True)

    UNITS_KEPT: ClassVar[int] = 40  # periods whose units are kept: ~12,000 rows each, nationally

    def period_chain(self, period_codes: Iterable[str]) -> pd.DataFrame:
        """int_period_chain for these periods: who may send for which units (the reporting chain in
        force at each period's end), with ``is_expected``. Ordered by period, sender and unit."""
        cur = self._scoped(period_codes)
        if cur is None:
            return pd.DataFrame(columns=list(PERIOD_CHAIN_COLUMNS))
        try:
            found = cur.sql(self._chain).df()
        finally:
            cur.close()
        keys = ["period_code", "sender_code", "unit_code"]
        return found[list(PERIOD_CHAIN_COLUMNS)].sort_values(keys, ignore_index=True)

    SCOPES_KEPT: ClassVar[int] = 8  # periods whose Scope is kept: a national half-year's is a few MB

    def scope(self, period_codes: Iterable[str]) -> Scope:
        """The keys validation looks up: units valid in each period (and the bodies), the senders of
        the period's reporting chain, and the units each of them may report.

        Each key names its period, so the Scope of several periods is the union of theirs: one is
        built per calendar period and kept (the Reference never changes), and a process validating
        many batches (a run split in batches, the test suite, batches mixing late files of other
        periods) builds each period's once (it is Python over every unit of the country)."""
        # windows aside: they hold no unit of their own, and an empty Scope kept for one would
        # push a real period out of the SCOPES_KEPT
        parts = [self._period_scope(code) for code in self._calendar_codes(period_codes)]
        if len(parts) == 1:
            return parts[0]
        return Scope(
            frozenset().union(*(s.unit_keys for s in parts)),
            frozenset().union(*(s.scope_keys for s in parts)),
            frozenset().union(*(s.sender_keys for s in parts)),
        )

    def _period_scope(self, code: str) -> Scope:
        """The period's Scope; the SCOPES_KEPT periods used last are kept."""
        with self._scopes_lock:
            built = self._scopes.pop(code, None)
        if built is None:
            built = self._build_scope([code])
        with self._scopes_lock:
            self._scopes[code] = built  # the newest used last
            while len(self._scopes) > self.SCOPES_KEPT:
                del self._scopes[next(iter(self._scopes))]
        return built

    def _build_scope(self, period_codes: Iterable[str]) -> Scope:
        codes = list(period_codes)
        found = self.period_units(codes)
        # .tolist(): a Python list at once (iterating DuckDB's Arrow-backed columns is value by value)
        unit_keys = {
            f"{p}:{u}"
            for p, u in zip(found["period_code"].tolist(), found["unit_code"].tolist(), strict=True)
        }
        chain = self.period_chain(codes)
        keyed = list(
            zip(
                *(chain[c].tolist() for c in ("period_code", "sender_code", "unit_code", "unit_level")),
                strict=True,
            )
        )
        unit_keys.update(f"{p}:{u}" for p, _, u, level in keyed if level == "body")
        return Scope(
            frozenset(unit_keys),
            frozenset(f"{p}:{s}:{u}" for p, s, u, _ in keyed),
            frozenset(f"{p}:{s}" for p, s, _, _ in keyed),
        )

    # built on first use: only the year-vs-halves check of a year straddling the reform needs them
    CROSSWALK_MODELS: ClassVar[tuple[str, ...]] = (
        "stg_reference__commune_crosswalk",
        "stg_reference__province_crosswalk",
        "int_current_units",
        "int_commune_crosswalk",
    )

    def year_crosswalk(self) -> pd.DataFrame:
        """Old unit -> unit of today's map where old figures restate onto it exactly, with how many
        old units make it up (reference/year_crosswalk.sql over int_commune_crosswalk): columns
        old_code, current_code, predecessors."""
        with self._scopes_lock:
            if self._crosswalk is None:
                cur = self._con.cursor()
                try:
                    run_models(cur, only=[*self.CROSSWALK_MODELS])
                    self._crosswalk = sql.run(cur, "reference/year_crosswalk").df()
                finally:
                    cur.close()
            return self._crosswalk

    def close(self) -> None:
        self._con.close()

    @staticmethod
    def _calendar_codes(period_codes: Iterable[str]) -> list[str]:
        """The calendar periods among ``period_codes``, windows aside, sorted."""
        return sorted({p.code for p in map(parse_period, set(period_codes)) if p and not p.is_window})

    def _scoped(self, period_codes: Iterable[str]) -> duckdb.DuckDBPyConnection | None:
        """A cursor whose periods in scope are the calendar periods among ``period_codes``, windows
        aside (None if there are none). The temp table is the cursor's own: other callers never see it."""
        codes = self._calendar_codes(period_codes)
        if not codes:
            return None
        cur = self._con.cursor()
        sql.run(cur, "reference/scope_periods", {"period_codes": codes})
        return cur
