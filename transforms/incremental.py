"""Publish only what changed (issue 15 item 3): the periods an ingest touched, rebuilt apart.

A full build (transforms/warehouse.py: ``build``) remakes every model from the whole raw layer:
seconds per half-year of history, paid on every dropped file. ``refresh`` patches a private
warehouse file instead, keeping every guarantee of a full build:

1. **What changed**: the submissions whose raw rows (the receipt and verdict, its issues, its Data
   Docs page, a validator's decision) differ between ``pipeline.duckdb`` and the base file's copy
   of the raw layer, either way; their periods are the touched periods (``''``: files that
   declared none). A crosscheck that warns an earlier file of another period touches that period
   too, since it changes that file's issues.
2. **Built apart**: a scratch warehouse in memory gets the raw rows of the touched periods only,
   the base's reference tables (the same models key: the same reference inputs) and every model. Every model that reads a
   submission declares the column its rows are partitioned by (``-- partition: period`` in its
   header): a period's rows depend on that period's submissions alone, so the scratch holds
   exactly the rows a full build would for those periods.
3. **Tested**: the data tests (warehouse/tests) run on the scratch: they are per period, and the
   periods not touched passed them when they were published. Any failure: nothing is published.
4. **Swapped atomically**: in one transaction the base file loses the touched periods' rows of
   every partitioned table and raw table and gets the scratch's; it is checkpointed, then
   published by ``warehouse.publish`` (a symlink swap: readers keep their snapshot, never blocked).

A full build happens instead when there is no published warehouse, when its models key
(``warehouse.models_key``: models, raw DDL, what the reference is seeded from) differs from what
a build would have now, or when a model that reads submissions declares no partition. The
nightly rollup always builds in full; ``tests/unit/test_incremental.py`` proves incremental = full.
"""

from __future__ import annotations

import logging
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from transforms import sql, warehouse

log = logging.getLogger(__name__)
_NAME = re.compile(r"\w+")


class NeedsFullBuild(Exception):
    """The base file cannot be patched (no models key, or another one)."""


@dataclass
class Refresh:
    """What ``refresh`` did: the periods rebuilt ('' = no period), seconds per step."""

    periods: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.periods)


def partitioned() -> list[tuple[str, str]]:
    """(relation, partition column) of every table an incremental build patches: the raw tables
    the pipeline writes, then every table model that reads a submission. Raises NeedsFullBuild
    when such a model declares no partition (it could not be patched)."""
    found = [("raw.submissions", "period")] + [
        (f"raw.{t}", "submission_id") for t in warehouse.RAW_TABLES if t != "submissions"
    ]
    for m in warehouse.submission_models():
        if m.kind != "table":
            continue
        if m.partition is None:
            raise NeedsFullBuild(f"{m.relation} reads submissions and declares no `-- partition:`")
        found.append((m.relation, m.partition))
    return found


def reference_models() -> list[str]:
    """The relations of the table models that read no submission (admin units, periods, the
    chain, ...): under the same models key the base's are what a build would make, so a scratch
    build copies them instead of building them."""
    derived = {m.name for m in warehouse.submission_models()}
    return [m.relation for m in warehouse.models() if m.kind == "table" and m.name not in derived]


def refresh(pipeline_db: Path, base: Path, extra_units: Path | None = None) -> Refresh:
    """Patch the private warehouse file ``base`` so that it holds what a full build from
    ``pipeline_db`` would: only the touched periods are rebuilt (module docstring). Raises
    NeedsFullBuild when it cannot, DataTestsFailed when the rebuilt periods fail a data test (the
    file is then half-patched: never publish it)."""
    if not base.is_file():  # attaching it would create an empty database, published as a build
        raise FileNotFoundError(f"no warehouse build to patch at {base}")
    done = Refresh()
    started = warehouse.CLOCK()
    tables = partitioned()
    con = duckdb.connect(config={**warehouse.BUILD_CONFIG, **warehouse.CONNECTION_CONFIG})
    try:
        done.periods = _touched(con, pipeline_db, base, extra_units=extra_units)
        warehouse._timed(done.timings, "diff", started)
        if not done.periods:
            return done

        started = warehouse.CLOCK()
        warehouse.create_raw_tables(con)
        sql.run(con, "incremental/fill_submissions")
        fill = sql.text("incremental/fill_by_submission")
        for table in warehouse.RAW_TABLES:
            if table != "submissions":  # identifiers of RAW_TABLES, not input
                con.execute(fill.replace("raw_table", table))
        # the same models key: the base's reference tables are what seeding them would give
        copy = sql.text("incremental/copy_reference")
        for (table,) in sql.run(
            con, "incremental/reference_tables", {"pipeline_tables": [*warehouse.RAW_TABLES, "feedback_sent"]}
        ).fetchall():
            if not _NAME.fullmatch(table):
                raise NeedsFullBuild(f"an odd reference table name: {table!r}")
            con.execute(copy.replace("reference_table", table))
        sql.run(con, "warehouse/create_schemas")
        from_base = reference_models()
        copy_model = sql.text("incremental/copy_model")
        for relation in from_base:  # identifiers from model files
            con.execute(copy_model.replace("target_relation", relation))
        warehouse._timed(done.timings, "scratch raw and reference", started)
        built = [m.name for m in warehouse.models() if m.relation not in from_base]
        warehouse.run_models(con, built, timings=done.timings)
        started = warehouse.CLOCK()
        result = warehouse.run_tests(con)
        if result["failures"]:
            raise warehouse.DataTestsFailed(f"warehouse data tests failed: {result['failures']}")
        warehouse._timed(done.timings, "data tests", started)

        started = warehouse.CLOCK()
        by_period = sql.text("incremental/delete_period_partition")
        by_submission = sql.text("incremental/delete_submission_partition")
        insert = sql.text("incremental/insert_partition")
        con.begin()
        for relation, column in tables:  # identifiers from model files and RAW_TABLES
            step = warehouse.CLOCK()
            delete = by_submission if column == "submission_id" else by_period
            con.execute(delete.replace("target_relation", relation).replace("partition_column", column))
            con.execute(insert.replace("target_relation", relation))
            warehouse._timed(done.timings, f"patch {relation}", step)
        sql.run(
            con,
            "incremental/record_build",
            {"key": warehouse.models_key(extra_units), "kind": "incremental", "periods": done.periods},
        )
        con.commit()
        step = warehouse.CLOCK()
        sql.run(con, "incremental/checkpoint_base")
        sql.run(con, "incremental/detach")
        warehouse._timed(done.timings, "checkpoint", step)
        warehouse._timed(done.timings, "patch", started)
    finally:
        con.close()
    log.info("incremental: rebuilt %s in %.2f s", done.periods, sum(done.timings.values()))
    return done


def _touched(
    con: duckdb.DuckDBPyConnection,
    pipeline_db: Path,
    base: Path,
    read_only: bool = False,
    extra_units: Path | None = None,
) -> list[str]:
    """Attach ``base`` and the pipeline file to ``con``; the touched periods (temp tables
    touched_periods and touched_submissions). NeedsFullBuild when ``base`` has another models key."""
    sql.run(con, "incremental/attach_base_read_only" if read_only else "incremental/attach_base", [str(base)])
    sql.run(con, "warehouse/attach_pipeline", [str(pipeline_db)])
    try:
        key = sql.run(con, "incremental/build_info").fetchall()
    except duckdb.CatalogException:
        key = []
    if key != [(warehouse.models_key(extra_units),)]:
        raise NeedsFullBuild(f"{base.name} was built from other models ({key})")
    sql.run(con, "incremental/changed_submissions")
    sql.run(con, "incremental/touched")
    return [p for (p,) in sql.run(con, "incremental/touched_periods").fetchall()]


def pending(pipeline_db: Path, published: Path, extra_units: Path | None = None) -> list[str]:
    """The periods the raw layer changed since ``published`` was built, read without writing."""
    con = duckdb.connect(config=warehouse.CONNECTION_CONFIG)
    try:
        return _touched(con, pipeline_db, published.resolve(), read_only=True, extra_units=extra_units)
    finally:
        con.close()


def publish_changes(
    pipeline_db: Path, published: Path, work: Path, extra_units: Path | None = None
) -> Refresh | None:
    """Publish what the raw layer changed since ``published`` was built: copy the published file
    to ``work``, ``refresh`` it and swap it in. Returns None when nothing could be patched (no
    published warehouse, NeedsFullBuild): the caller builds in full. The caller holds the writer
    lock, so no other publish interleaves."""
    if not published.exists():
        return None
    started = warehouse.CLOCK()
    try:
        if not pending(pipeline_db, published, extra_units):  # nothing to copy, nothing to publish
            return Refresh(timings={"diff": warehouse.CLOCK() - started})
    except NeedsFullBuild as why:
        log.info("incremental: a full build instead (%s)", why)
        return None
    target = work / "warehouse.incremental.duckdb"
    target.unlink(missing_ok=True)
    Path(str(target) + ".wal").unlink(missing_ok=True)
    started = warehouse.CLOCK()
    shutil.copyfile(published.resolve(), target)
    copied = warehouse.CLOCK() - started
    try:
        done = refresh(pipeline_db, target, extra_units)
    except NeedsFullBuild as why:
        log.info("incremental: a full build instead (%s)", why)
        target.unlink(missing_ok=True)
        return None
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    done.timings = {"copy": copied, **done.timings}
    if not done.changed:
        target.unlink(missing_ok=True)
        return done
    started = warehouse.CLOCK()
    warehouse.publish(target, published)
    done.timings["publish"] = warehouse.CLOCK() - started
    return done
