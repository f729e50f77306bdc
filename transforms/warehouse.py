"""The DuckDB warehouse: raw tables, SQL models (staging -> intermediate -> marts), publishing.

Two files under DANVAN_HOME: ``pipeline.duckdb`` holds the raw layer and has exactly one writer at
a time (an exclusive file lock, ``writer_lock``); ``warehouse.duckdb`` is what analysts query. A
rollup builds every model into a fresh file and atomically renames it over ``warehouse.duckdb``, so
a reader is never blocked by the pipeline and never sees a half-built warehouse.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from transforms.catalogue import indicators
from transforms.config import REFERENCE_DIR, WAREHOUSE_DIR
from transforms.locks import exclusive

LAYERS = ("staging", "intermediate", "marts")
MATERIALIZATION = {"staging": "view", "intermediate": "view", "marts": "table"}
SCHEMA = {"staging": "staging", "intermediate": "intermediate", "marts": "main"}
# The raw tables the pipeline writes (pipeline.duckdb), copied into every warehouse build.
RAW_TABLES = (
    "submissions",
    "submission_issues",
    "unit_report_values",
    "submission_data_docs",
    "review_decisions",
)
# Intermediate models that many marts read are worth computing once.
MATERIALIZED_TABLES = {
    "int_period_units",
    "int_unit_report_values_current",
    "int_unit_report_values_located",
    "int_submissions_versioned",
}


@dataclass(frozen=True)
class Model:
    name: str
    layer: str
    sql: str

    @property
    def schema(self) -> str:
        return SCHEMA[self.layer]

    @property
    def relation(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def kind(self) -> str:
        return "table" if self.name in MATERIALIZED_TABLES else MATERIALIZATION[self.layer]


def models(root: Path = WAREHOUSE_DIR / "models") -> list[Model]:
    """Every model, in an order where each comes after the models it reads."""
    found = {
        p.stem: Model(p.stem, layer, p.read_text(encoding="utf-8"))
        for layer in LAYERS
        for p in sorted((root / layer).glob("*.sql"))
    }
    ordered: list[Model] = []
    seen: set[str] = set()

    def visit(name: str, trail: tuple[str, ...] = ()) -> None:
        if name in seen:
            return
        if name in trail:
            raise ValueError(f"cycle in warehouse models: {' -> '.join((*trail, name))}")
        for dep in re.findall(r"\b(?:staging|intermediate|main)\.(\w+)", found[name].sql):
            if dep in found and dep != name:
                visit(dep, (*trail, name))
        seen.add(name)
        ordered.append(found[name])

    for name in found:
        visit(name)
    return ordered


def run_models(con: duckdb.DuckDBPyConnection, only: list[str] | None = None) -> list[str]:
    """Create or replace each model (``only``: these and nothing else, in dependency order)."""
    con.execute("create schema if not exists staging; create schema if not exists intermediate")
    built = []
    for m in models():
        if only is not None and m.name not in only:
            continue
        _drop(con, m)
        con.execute(f"create {m.kind} {m.relation} as\n{m.sql}")
        built.append(m.relation)
    return built


def _drop(con: duckdb.DuckDBPyConnection, m: Model) -> None:
    """Drop a model's relation whatever it is now (DuckDB refuses DROP VIEW on a table)."""
    kinds = con.execute(
        "select 'table' from duckdb_tables() where schema_name = ? and table_name = ? "
        "union all select 'view' from duckdb_views() where schema_name = ? and view_name = ?",
        [m.schema, m.name, m.schema, m.name],
    ).fetchall()
    for (kind,) in kinds:
        con.execute(f"drop {kind} {m.relation}")


def create_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute((WAREHOUSE_DIR / "raw" / "create_raw_tables.sql").read_text(encoding="utf-8"))


def load_reference(con: duckdb.DuckDBPyConnection, extra_units: Path | None = None) -> None:
    """Seed raw.admin_units and raw.indicators. Every column VARCHAR: codes keep leading zeros.

    ``extra_units``: more rows in the same columns (synthetic units of a scaled benchmark)."""
    con.execute("create schema if not exists raw")
    con.execute(
        "create or replace table raw.admin_units as select * from read_csv(?, all_varchar = true, header = true)",
        [str(REFERENCE_DIR / "admin_units.csv")],
    )
    if extra_units is not None and extra_units.exists():
        con.execute(
            "insert into raw.admin_units select * from read_csv(?, all_varchar = true, header = true)",
            [str(extra_units)],
        )
    con.execute(
        "create or replace table raw.indicators (code varchar, label_vi varchar, label_en varchar, "
        "indicator_group varchar, sort_order integer)"
    )
    con.executemany(
        "insert into raw.indicators values (?, ?, ?, ?, ?)",
        [(i.code, i.label_vi, i.label_en, i.group, i.sort_order) for i in indicators()],
    )


def writer_lock(lock_file: Path):
    """One writer at a time on pipeline.duckdb, across processes (Airflow workers, danvan run)."""
    return exclusive(lock_file)


def open_pipeline(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    create_raw_tables(con)
    return con


@contextlib.contextmanager
def pipeline_writer(pipeline_db: Path, lock_file: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The raw layer, opened by its one writer: the lock is held until the connection is closed."""
    with writer_lock(lock_file):
        con = open_pipeline(pipeline_db)
        try:
            yield con
        finally:
            con.close()


def build(pipeline_db: Path, target: Path, extra_units: Path | None = None) -> Path:
    """Build every model into a fresh file ``target`` from the raw layer of ``pipeline_db``."""
    target.unlink(missing_ok=True)
    Path(str(target) + ".wal").unlink(missing_ok=True)
    con = duckdb.connect(str(target))
    try:
        create_raw_tables(con)
        if pipeline_db.exists():
            con.execute(f"attach '{pipeline_db}' as pipeline (read_only)")
            held = {
                name
                for (name,) in con.sql(
                    "select table_name from duckdb_tables() where database_name = 'pipeline' and schema_name = 'raw'"
                ).fetchall()
            }  # a pipeline file written before a raw table existed simply has none of its rows
            for table in RAW_TABLES:
                if table in held:
                    con.execute(f"insert into raw.{table} select * from pipeline.raw.{table}")
            con.execute("detach pipeline")
        load_reference(con, extra_units)
        run_models(con)
        con.execute("checkpoint")
    finally:
        con.close()
    return target


def check(path: Path) -> dict:
    """Data tests of the marts (dbt-style): grains are unique, totals add up. Raise on failure."""
    sql_tests = {
        "submissions: submission_id unique": "select submission_id from submissions group by all having count(*) > 1",
        "commune_totals: one row per commune x period x indicator": "select 1 from commune_totals group by period, commune_code, indicator_code having count(*) > 1",
        "district_totals: one row per district x period x indicator": "select 1 from district_totals group by period, district_code, indicator_code having count(*) > 1",
        "province_totals: one row per province x period x indicator": "select 1 from province_totals group by period, province_code, indicator_code having count(*) > 1",
        "district_totals = its commune_totals + its own row": """
            with parts as (
                select period, district_code, indicator_code, value from commune_totals
                union all
                select period_code, unit_code, indicator_code, value
                from intermediate.int_unit_report_values_located where unit_level = 'district'
            )
            select d.period, d.district_code, d.indicator_code
            from district_totals d
            left join (select period, district_code, indicator_code, sum(value) as value from parts group by all) p
                using (period, district_code, indicator_code)
            where d.value is distinct from p.value""",
        "province_totals = its district_totals + its own row (+ its communes after the reform)": """
            with parts as (
                select period, province_code, indicator_code, value from district_totals
                union all
                select period, province_code, indicator_code, value from commune_totals where district_code is null
                union all
                select period_code, unit_code, indicator_code, value
                from intermediate.int_unit_report_values_located where unit_level = 'province'
            )
            select t.period, t.province_code, t.indicator_code
            from province_totals t
            left join (select period, province_code, indicator_code, sum(value) as value from parts group by all) p
                using (period, province_code, indicator_code)
            where t.value is distinct from p.value""",
        "review_decisions: decision_id unique": "select decision_id from review_decisions group by all having count(*) > 1",
        "at most one current submission per sender x period": "select 1 from submissions where is_current group by sender_code, period having count(*) > 1",
        "every value belongs to a known indicator": "select 1 from intermediate.int_unit_report_values_current where indicator_code not in "
        "(select indicator_code from indicators)",
    }
    con = duckdb.connect(str(path), read_only=True)
    try:
        failures = {name: len(con.sql(q).fetchall()) for name, q in sql_tests.items()}
        counts = {
            t: con.sql(f"select count(*) from {t}").fetchall()[0][0]
            for t in ("submissions", "commune_totals", "district_totals", "province_totals")
        }
    finally:
        con.close()
    failed = {k: v for k, v in failures.items() if v}
    if failed:
        raise AssertionError(f"warehouse data tests failed: {failed}")
    return {"tests_passed": len(sql_tests), "rows": counts}


BUILDS_DIR = "warehouse.builds"  # beside the published path: one file per build, the link points at one
# What an analyst's session may do: read the warehouse, nothing else (no files, no other databases,
# no extensions), and it cannot switch that off (lock_configuration).
READER_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,
}


def publish(built: Path, published: Path) -> Path:
    """Put ``built`` in place atomically: ``published`` is a symlink swapped (``os.replace``) to a
    new file per build under ``warehouse.builds/``. Readers with the old file open keep their
    snapshot. A new name per build means no write-ahead log can ever apply to it: DuckDB names a
    WAL after the resolved file, so one left by a read-write session someone opened (and maybe
    killed) on an earlier build stays with that build and is removed with it; a WAL left beside a
    plain ``warehouse.duckdb`` of an older installation is removed too."""
    builds = published.parent / BUILDS_DIR
    builds.mkdir(parents=True, exist_ok=True)
    Path(str(built) + ".wal").unlink(missing_ok=True)  # build() checkpoints: nothing to lose
    keep = {published.resolve().name} if published.is_symlink() else set()  # a reader may be opening it
    target = builds / f"{published.stem}.{os.urandom(6).hex()}.duckdb"  # a name, not a clock read
    os.replace(built, target)
    link = published.with_name(f".{published.name}.{target.stem}.link")
    link.unlink(missing_ok=True)
    link.symlink_to(target.relative_to(published.parent))
    os.replace(link, published)  # the one atomic step readers can observe
    Path(str(published) + ".wal").unlink(missing_ok=True)
    keep.add(target.name)
    for old in builds.iterdir():  # older builds and their WALs (open readers keep theirs)
        if old.name.split(".wal")[0] not in keep:
            old.unlink(missing_ok=True)
    return published


def connect_reader(path: Path) -> duckdb.DuckDBPyConnection:
    """The one way an analyst's query reaches the warehouse (``danvan sql``, status, review views):
    read-only, no file system (no ``copy ... to``, ``read_csv('/etc/passwd')``, ``attach``,
    ``export``), no extension install or load, settings locked."""
    return duckdb.connect(str(path), read_only=True, config=READER_CONFIG)
