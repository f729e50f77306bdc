"""The published warehouse as Parquet, for the tools that don't speak DuckDB (Spark, Trino, pandas,
Excel's Power Query): ``danvan export --parquet DIR``, and the rollup when ``DANVAN_PARQUET_DIR`` is set.

Every mart becomes ``DIR/<mart>/``: marts with a ``period`` column are partitioned by it, Hive style
(``DIR/province_totals/period=2024S1/data_0.parquet``), so a reader prunes to the periods it asks
for; the others are one file (``DIR/admin_units/data_0.parquet``). As with the warehouse file,
``DIR`` is a symlink swapped atomically to a new folder under ``.DIR.builds/``: a reader sees the
previous export or this one, never a mix, and never a moment with none. The previous export's
folder is kept until the next one, for a reader still scanning it.

One export at a time per ``DIR`` (an exclusive lock, ``.DIR.lock``): the rollup's publish and an
ingest's both export after their publish, outside the writer lock, and each once removed every
other build folder, the other's half-written one included. The warehouse is opened once the lock
is held, so an export that waited exports the warehouse published meanwhile, never an older one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from transforms.locks import exclusive
from transforms.warehouse import models

PARTITION_COLUMN = "period"


def marts() -> list[str]:
    """The marts' names, in build order."""
    return [m.name for m in models() if m.layer == "marts"]


def export_parquet(warehouse_db: Path, out_dir: Path) -> dict[str, int]:
    """Write every mart of ``warehouse_db`` under ``out_dir`` (replaced whole); rows per mart."""
    out_dir = Path(out_dir)
    with exclusive(out_dir.with_name(f".{out_dir.name}.lock")):
        return _export(warehouse_db, out_dir)


def _export(warehouse_db: Path, out_dir: Path) -> dict[str, int]:
    builds = out_dir.with_name(f".{out_dir.name}.builds")
    builds.mkdir(parents=True, exist_ok=True)
    staging = builds / os.urandom(6).hex()
    rows: dict[str, int] = {}
    con = duckdb.connect(str(warehouse_db), read_only=True)
    try:
        for name in marts():
            rel = con.table(f"main.{name}")
            target = staging / name
            if PARTITION_COLUMN in rel.columns:
                rel.write_parquet(str(target), partition_by=[PARTITION_COLUMN], overwrite=True)
            else:
                target.mkdir(parents=True)
                rel.write_parquet(str(target / "data_0.parquet"))
            rows[name] = rel.count("*").fetchall()[0][0]
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        con.close()
    _swap(staging, out_dir)
    return rows


def _swap(staging: Path, out_dir: Path) -> None:
    """Point ``out_dir`` at ``staging`` (one ``os.replace`` of a symlink), then remove the builds
    before the previous one. A real folder left at ``out_dir`` by hand is moved into the builds
    folder first (and kept as the previous export)."""
    builds = staging.parent
    previous = out_dir.resolve().name if out_dir.is_symlink() else None
    if out_dir.exists() and not out_dir.is_symlink():
        previous = f"replaced-{os.urandom(4).hex()}"
        os.replace(out_dir, builds / previous)
    keep = {staging.name, previous}
    link = out_dir.with_name(f".{out_dir.name}.{staging.name}.link")
    link.unlink(missing_ok=True)
    link.symlink_to(staging.relative_to(out_dir.parent))
    os.replace(link, out_dir)
    for old in builds.iterdir():
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
