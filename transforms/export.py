"""The published warehouse as Parquet, for the tools that don't speak DuckDB (Spark, Trino, pandas,
Excel's Power Query): ``danvan export --parquet DIR``, and the rollup when ``DANVAN_PARQUET_DIR`` is set.

Every mart becomes ``DIR/<mart>/``: marts with a ``period`` column are partitioned by it, Hive style
(``DIR/province_totals/period=2024S1/data_0.parquet``), so a reader prunes to the periods it asks
for; the others are one file (``DIR/admin_units/data_0.parquet``). As with the warehouse file,
``DIR`` is a symlink swapped atomically to a new folder under ``.DIR.builds/``: a reader sees the
previous export or this one, never a mix, and never a moment with none.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from transforms.warehouse import models

PARTITION_COLUMN = "period"


def marts() -> list[str]:
    """The marts' names, in build order."""
    return [m.name for m in models() if m.layer == "marts"]


def export_parquet(warehouse_db: Path, out_dir: Path) -> dict[str, int]:
    """Write every mart of ``warehouse_db`` under ``out_dir`` (replaced whole); rows per mart."""
    out_dir = Path(out_dir)
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
    """Point ``out_dir`` at ``staging`` (one ``os.replace`` of a symlink), then remove older builds.
    A real folder left at ``out_dir`` by hand is moved into the builds folder first."""
    builds = staging.parent
    if out_dir.exists() and not out_dir.is_symlink():
        os.replace(out_dir, builds / f"replaced-{os.urandom(4).hex()}")
    link = out_dir.with_name(f".{out_dir.name}.{staging.name}.link")
    link.unlink(missing_ok=True)
    link.symlink_to(staging.relative_to(out_dir.parent))
    os.replace(link, out_dir)
    for old in builds.iterdir():
        if old != staging:
            shutil.rmtree(old, ignore_errors=True)
