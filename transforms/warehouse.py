"""The DuckDB warehouse: raw tables, SQL models (staging -> intermediate -> marts), publishing.

Two files under DANVAN_HOME: ``pipeline.duckdb`` holds the raw layer and has exactly one writer at
a time (an exclusive file lock, ``writer_lock``); ``warehouse.duckdb`` is what analysts query. A
rollup builds every model into a fresh file and atomically renames it over ``warehouse.duckdb``, so
a reader is never blocked by the pipeline and never sees a half-built warehouse.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa

from transforms import chain, groups, mart_docs, restatement, sql
from transforms.catalogue import categories, category_codes, indicators
from transforms.config import PROJECT_ROOT, REFERENCE_DIR, SCHEMAS_DIR, WAREHOUSE_DIR
from transforms.locks import exclusive
from transforms.periods import calendar, regime_name, working_day_rows

LAYERS = ("staging", "intermediate", "marts")
SCHEMA = {"staging": "staging", "intermediate": "intermediate", "marts": "main"}
KINDS = ("view", "table")
# The raw tables the pipeline writes (pipeline.duckdb), copied into every warehouse build.
RAW_TABLES = (
    "submissions",
    "submission_issues",
    "unit_report_values",
    "submission_data_docs",
    "review_decisions",
)
# The models that read only the raw tables the pipeline writes: the submission lifecycle and the
# current figures. They are also views on pipeline.duckdb (open_pipeline), so the crosschecks,
# the validators' desk and the feedback read the one definition the marts are built from.
MACROS_DIR = WAREHOUSE_DIR / "macros"
PIPELINE_MODELS = (
    "stg_danvan__submissions",
    "stg_danvan__review_decisions",
    "stg_danvan__unit_report_values",
    "int_submissions_versioned",
    "int_unit_report_values_current",
)
log = logging.getLogger(__name__)
_MATERIALIZED = re.compile(r"^--\s*materialized:\s*(\w+)\s*$", re.MULTILINE)
_PARTITION = re.compile(r"^--\s*partition:\s*(\w+)\s*$", re.MULTILINE)
_NAME = re.compile(r"\w+")


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
        """``view`` or ``table``, as the model's header says (``-- materialized: table``)."""
        found = _MATERIALIZED.findall(self.sql)
        if len(found) != 1 or found[0] not in KINDS:
            raise ValueError(f"{self.relation}: the header needs one `-- materialized: view|table` line")
        return found[0]

    @property
    def partition(self) -> str | None:
        """The column whose value says which rows one period (or one submission) of the raw layer
        makes, as the header says (``-- partition: period_code`` | ``period`` | ``submission_id``):
        an incremental build (transforms/incremental.py) replaces only the touched periods' rows.
        None for a model that reads no submission (reference: only a full build remakes it)."""
        found = _PARTITION.findall(self.sql)
        if len(found) > 1:
            raise ValueError(f"{self.relation}: at most one `-- partition:` line")
        return found[0] if found else None

    def reads(self) -> set[str]:
        """The relations (``schema.name``) this model's SQL names."""
        return set(re.findall(r"\b((?:raw|staging|intermediate|main)\.\w+)", self.sql))


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


def run_models(
    con: duckdb.DuckDBPyConnection,
    only: list[str] | tuple[str, ...] | None = None,
    *,
    kind: str | None = None,
    timings: dict[str, float] | None = None,
) -> list[str]:
    """Create or replace each model (``only``: these and nothing else, in dependency order).

    ``kind``: materialise every model so (``"view"`` on the pipeline file), not as its header says.
    ``timings``: filled with the seconds each model took (also logged at DEBUG).
    The one statement composed here is the model's own DDL, from its file name and header. The
    macros (``warehouse/macros/*.sql``: a rule several models share) are created first."""
    sql.run(con, "warehouse/create_schemas")
    for path in sorted(MACROS_DIR.glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))
    existing: dict[tuple[str, str], list[str]] = {}
    for schema, name, kind_now in sql.run(con, "warehouse/relation_kinds").fetchall():
        existing.setdefault((schema, name), []).append(kind_now)
    built = []
    for m in models():
        if only is not None and m.name not in only:
            continue
        as_kind = kind or m.kind
        if as_kind not in KINDS or not _NAME.fullmatch(m.name):
            raise ValueError(f"cannot materialise {m.relation} as {as_kind!r}")
        started = CLOCK()
        for kind_now in existing.get((m.schema, m.name), ()):  # drop it whatever it is now
            con.execute(f"drop {kind_now} {m.relation}")
        con.execute(f"create {as_kind} {m.relation} as\n{m.sql}")
        built.append(m.relation)
        _timed(timings, m.relation, started)
    return built


CLOCK = time.perf_counter  # what the timings measure (bench/profile_build.py --cpu: process CPU time)


def _timed(timings: dict[str, float] | None, step: str, started: float) -> None:
    seconds = CLOCK() - started
    log.debug("warehouse: %s in %.3f s", step, seconds)
    if timings is not None:
        timings[step] = timings.get(step, 0.0) + seconds


def submission_models() -> list[Model]:
    """The models that read, directly or through others, what the pipeline writes (RAW_TABLES): the
    ones a new file can change."""
    derived = {f"raw.{t}" for t in RAW_TABLES}
    found = []
    for m in models():  # dependency order: what a model reads is classified before it
        if m.reads() & derived:
            derived.add(m.relation)
            found.append(m)
    return found


def models_key(extra_units: Path | None = None) -> str:
    """A hash of everything that shapes the built relations but the raw layer: every model's SQL,
    the raw DDL, and what the reference is seeded from (schemas/: the catalogue, the calendar in
    the deployment's regime, the chain, the bodies, the admin units; the holidays package; the
    synthetic units of a scaled benchmark). A warehouse built under another key is rebuilt in
    full; under the same one, its reference tables are what seeding them again would give."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    for m in models():
        digest.update(f"{m.relation}\0{m.sql}\0".encode())
    sources = [WAREHOUSE_DIR / "raw" / n for n in ("create_raw_tables.sql", "add_category_column.sql")]
    sources += sorted(SCHEMAS_DIR.glob("*.yaml")) + sorted(SCHEMAS_DIR.glob("*.csv"))
    sources += sorted(p for p in REFERENCE_DIR.rglob("*") if p.is_file())
    if extra_units is not None and extra_units.exists():
        sources.append(extra_units)
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for part in (*category_codes(), regime_name(), version("holidays"), STORAGE_VERSION):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:16]


def tests(root: Path = WAREHOUSE_DIR / "tests") -> dict[str, str]:
    """The data tests, dbt-style: ``warehouse/tests/<name>.sql``, a query returning its failing rows."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(root.glob("*.sql"))}


def run_tests(
    con: duckdb.DuckDBPyConnection,
    root: Path = WAREHOUSE_DIR / "tests",
    timings: dict[str, float] | None = None,
) -> dict:
    """Run every data test on ``con``: the names run and, per failing test, its number of failing rows.
    ``timings``: filled with the seconds each test took."""
    found = tests(root)
    failures = {}
    for name, query in found.items():
        started = CLOCK()
        n = con.sql(query).aggregate("count(*)").fetchall()[0][0]
        _timed(timings, f"test {name}", started)
        if n:
            failures[name] = n
    return {"tests": list(found), "failures": failures}


def create_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The raw tables, and one column of raw.unit_report_values per category of the catalogue: a
    category added to schemas/indicators.yaml is a column added here (NULL: old values are totals)."""
    con.execute((WAREHOUSE_DIR / "raw" / "create_raw_tables.sql").read_text(encoding="utf-8"))
    add_column = (WAREHOUSE_DIR / "raw" / "add_category_column.sql").read_text(encoding="utf-8")
    for code in category_codes():  # identifiers: transforms/catalogue.py checks them
        con.execute(add_column.replace("category_column", code))


def load_reference(con: duckdb.DuckDBPyConnection, extra_units: Path | None = None) -> None:
    """Seed raw.admin_units, raw.indicators, raw.periods, raw.working_days, raw.reporting_chain,
    raw.reporting_bodies and raw.unit_groups. Admin units and bodies VARCHAR: codes keep leading zeros.

    ``extra_units``: more rows in the same columns (synthetic units of a scaled benchmark)."""
    sql.run(con, "warehouse/create_schemas")
    seed_csv(con, "warehouse/seed_admin_units", REFERENCE_DIR / "admin_units.csv")
    if extra_units is not None and extra_units.exists():
        seed_csv(con, "warehouse/seed_extra_units", extra_units)
    sql.run(con, "warehouse/seed_indicators_table")
    con.executemany(
        sql.text("warehouse/seed_indicator"),
        [
            (
                i.code,
                i.label_vi,
                i.label_en,
                i.group,
                i.sort_order,
                i.value_type,
                i.time_aggregation,
                list(i.breakdowns),
            )
            for i in indicators()
        ],
    )
    sql.run(con, "warehouse/seed_breakdown_options_table")
    options = [
        (c.code, c.label_vi, c.label_en, c.sort_order, o.code, o.label_vi, o.label_en, o.sort_order)
        for c in categories()
        for o in c.options
    ]
    if options:
        con.executemany(sql.text("warehouse/seed_breakdown_option"), options)
    seed_periods(con)
    seed_working_days(con)
    seed_reporting_chain(con)
    seed_crosswalks(con)
    seed_unit_groups(con)


def seed_csv(con: duckdb.DuckDBPyConnection, name: str, path: Path, params: dict | None = None) -> None:
    """Run the seed ``name`` over the rows of the reference CSV at ``path``: the relation
    ``csv_rows`` (warehouse/queries/warehouse/read_csv_text.sql, every column text)."""
    con.register("csv_rows", _csv_rows(con, path))
    try:
        sql.run(con, name, params)
    finally:
        con.unregister("csv_rows")


_CSV_ROWS: dict[tuple[str, int, int], pa.Table] = {}  # by path, mtime and size; CSVS_KEPT at most
CSVS_KEPT = 8


def _csv_rows(con: duckdb.DuckDBPyConnection, path: Path) -> pa.Table:
    """A reference CSV's rows, read once per process while the file is unchanged (path, mtime and
    size are the key; tests/unit/test_reference.py rewrites one): every build and every Reference
    seeds from them, and parsing the admin units and the crosswalks is most of seeding."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    rows = _CSV_ROWS.get(key)
    if rows is None:
        rows = con.sql(sql.text("warehouse/read_csv_text"), params=[key[0]]).to_arrow_table()
        while len(_CSV_ROWS) >= CSVS_KEPT:
            _CSV_ROWS.pop(next(iter(_CSV_ROWS)), None)
        _CSV_ROWS[key] = rows
    return rows


def seed_unit_groups(con: duckdb.DuckDBPyConnection) -> None:
    """raw.unit_groups: the groups of units (cụm thi đua) of schemas/unit_groups.yaml, by epoch."""
    rows = groups.members()
    sql.run(con, "reference/create_unit_groups")
    if rows:
        sql.run(con, "reference/insert_unit_groups", {k: [r[k] for r in rows] for k in groups.COLUMNS})


def seed_reporting_chain(con: duckdb.DuckDBPyConnection) -> None:
    """raw.reporting_chain (schemas/reporting_chain.yaml) and raw.reporting_bodies (its CSV)."""
    rows = chain.epochs()
    sql.run(con, "reference/create_reporting_chain")
    sql.run(con, "reference/insert_reporting_chain", {k: [r[k] for r in rows] for k in rows[0]})
    seed_csv(con, "warehouse/seed_reporting_bodies", chain.BODIES_CSV)


def seed_crosswalks(con: duckdb.DuckDBPyConnection, population: tuple[str, ...] | None = None) -> None:
    """raw.commune_crosswalk and raw.province_crosswalk (the 2025 crosswalks, with the file and its
    sha256 as provenance) and raw.population_indicators (schemas/restatement.yaml; ``population``:
    another list, for tests)."""
    for name, path in (
        ("commune", restatement.COMMUNE_CROSSWALK),
        ("province", restatement.PROVINCE_CROSSWALK),
    ):
        source = {"file": str(path.relative_to(PROJECT_ROOT)), "sha256": restatement.sha256(path)}
        seed_csv(con, f"warehouse/seed_{name}_crosswalk", path, source)
    codes = restatement.population_indicators() if population is None else population
    sql.run(con, "warehouse/seed_population_indicators", {"codes": list(codes)})


def seed_periods(con: duckdb.DuckDBPyConnection) -> None:
    """raw.periods: the period calendar of transforms/periods.py (schemas/calendar.yaml, in the
    deployment's regime), its one definition."""
    sql.run(con, "reference/create_periods")
    con.register("periods_frame", _periods_frame(regime_name()))
    try:
        sql.run(con, "reference/insert_periods")
    finally:
        con.unregister("periods_frame")


def seed_working_days(con: duckdb.DuckDBPyConnection) -> None:
    """raw.working_days: Vietnam's working calendar of transforms/periods.py, one row per day."""
    sql.run(con, "reference/create_working_days")
    con.register("working_days_frame", _working_days_frame())
    try:
        sql.run(con, "reference/insert_working_days")
    finally:
        con.unregister("working_days_frame")


@cache
def _periods_frame(regime: str) -> pa.Table:
    periods = list(calendar(regime))
    return pa.table(
        {
            "period_code": [p.code for p in periods],
            "period_type": [p.kind for p in periods],
            "period_year": pa.array([p.year for p in periods], pa.int32()),
            "start_date": [p.start for p in periods],
            "end_date": [p.end for p in periods],
            "cutoff_date": [p.cutoff for p in periods],
            "deadline_date": [p.deadline for p in periods],
            "regime": [p.regime for p in periods],
            "is_window": [p.is_window for p in periods],
            "after_reform": [p.after_reform for p in periods],
            "hierarchy_start_date": [p.hierarchy_start for p in periods],
        }
    )


@cache
def _working_days_frame() -> pa.Table:
    days, working, notes = zip(*working_day_rows(), strict=True)
    return pa.table(
        {"day": list(days), "is_working_day": list(working), "note": pa.array(notes, pa.string())}
    )


def writer_lock(lock_file: Path):
    """One writer at a time on pipeline.duckdb, across processes (Airflow workers, danvan run)."""
    return exclusive(lock_file)


# DuckDB's memory per connection that writes, checks or holds the reference:
# DANVAN_DUCKDB_MEMORY_LIMIT, else 1 GB (DuckDB's own default is 80% of RAM, and its buffers
# then grow with the history: a 16-half-year backlog peaked at 3.8 GB). Capped, DuckDB spills to
# disk; the outlier statistics (median and MAD, which cannot spill) are computed one period at a
# time (transforms/crosschecks.py). A cap too low for them fails the run, never a file.
MEMORY_LIMIT = os.environ.get("DANVAN_DUCKDB_MEMORY_LIMIT") or "1GB"
# And its threads: DANVAN_DUCKDB_THREADS, else DuckDB's own (one per core). Threads pay on a
# national build and cost CPU on a small one (README, "Tests" has the figures): where processes
# that handle small batches share the cores (the test suite's xdist workers), one each is cheaper.
THREADS = os.environ.get("DANVAN_DUCKDB_THREADS")
CONNECTION_CONFIG = {"memory_limit": MEMORY_LIMIT, **({"threads": int(THREADS)} if THREADS else {})}


def open_pipeline(path: Path) -> duckdb.DuckDBPyConnection:
    """The raw layer, with the lifecycle models (PIPELINE_MODELS) as views over it."""
    con = duckdb.connect(str(path), config=CONNECTION_CONFIG)
    con.begin()  # one commit for the DDL below, not one per statement
    create_raw_tables(con)
    create_pipeline_views(con)
    con.commit()
    return con


def create_pipeline_views(con: duckdb.DuckDBPyConnection) -> None:
    """The lifecycle models (PIPELINE_MODELS) as views over the raw tables of ``con``."""
    run_models(con, PIPELINE_MODELS, kind="view")


@contextlib.contextmanager
def pipeline_writer(pipeline_db: Path, lock_file: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The raw layer, opened by its one writer: the lock is held until the connection is closed."""
    with writer_lock(lock_file):
        con = open_pipeline(pipeline_db)
        try:
            yield con
        finally:
            con.close()


# The published file's storage format. DuckDB 2.0 writes storage version 69 by default, which no
# DuckDB 1.x opens ("we can only read versions between 64 and 68"); the DuckDB CLI on PyPI is 1.5.6
# and many SQL clients bundle a 1.x. Files written as v1.4.0 open in every DuckDB from 1.4 on.
# Checked by tests/unit/test_warehouse.py with that CLI (duckdb-cli in requirements.txt).
STORAGE_VERSION = "v1.4.0"
# A build's tables need no particular row order (every mart is read by key; a query that wants an
# order says so): without it DuckDB writes a table in parallel, with less memory.
BUILD_CONFIG = {"preserve_insertion_order": False}


def build(
    pipeline_db: Path,
    target: Path,
    extra_units: Path | None = None,
    timings: dict[str, float] | None = None,
) -> Path:
    """Build every model into a fresh file ``target`` from the raw layer of ``pipeline_db``, in the
    storage format of ``STORAGE_VERSION``. ``timings``: filled with the seconds of each step and
    model (``python -m bench.profile_build`` prints them).

    One transaction, then a checkpoint: nothing is written to the file's log statement by
    statement (a small build's ~90 statements were committed one by one: README, "Tests"), and
    the file, a fresh one nobody reads, holds a whole build or none."""
    target.unlink(missing_ok=True)
    Path(str(target) + ".wal").unlink(missing_ok=True)
    con = duckdb.connect(
        str(target),
        config={"storage_compatibility_version": STORAGE_VERSION, **BUILD_CONFIG, **CONNECTION_CONFIG},
    )
    try:
        started = CLOCK()
        attached = pipeline_db.exists()
        if attached:
            sql.run(con, "warehouse/attach_pipeline", [str(pipeline_db)])
        con.begin()
        create_raw_tables(con)
        if attached:
            held = {name for (name,) in sql.run(con, "warehouse/pipeline_raw_tables").fetchall()}
            # a pipeline file written before a raw table existed simply has none of its rows
            for table in RAW_TABLES:
                if table in held:
                    sql.run(con, f"warehouse/copy_raw_{table}")
        _timed(timings, "raw layer", started)
        started = CLOCK()
        load_reference(con, extra_units)
        _timed(timings, "reference", started)
        run_models(con, timings=timings)
        started = CLOCK()
        mart_docs.apply(con)  # every mart and column says what it means, in any SQL client
        sql.run(con, "warehouse/record_full_build", {"key": models_key(extra_units)})
        _timed(timings, "comments", started)
        started = CLOCK()
        con.commit()
        if attached:
            sql.run(con, "warehouse/detach_pipeline")
        con.execute("checkpoint")
        _timed(timings, "checkpoint", started)
    finally:
        con.close()
    return target


class DataTestsFailed(AssertionError):
    """A built warehouse that fails its data tests: it is not published."""


def check(path: Path, timings: dict[str, float] | None = None) -> dict:
    """Run the data tests (``warehouse/tests``) on a built warehouse; raise DataTestsFailed if any
    fails. Returns ``{"tests": [names run], "failures": {}}``."""
    con = duckdb.connect(str(path), read_only=True, config=CONNECTION_CONFIG)
    try:
        result = run_tests(con, timings=timings)
    finally:
        con.close()
    if result["failures"]:
        raise DataTestsFailed(f"warehouse data tests failed: {result['failures']}")
    return result


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
