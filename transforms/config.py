"""Paths of the project and of runtime state. Side-effect free: nothing is created on import.

All runtime state lives under one folder, ``DANVAN_HOME`` (default ``./data``), so that a test, a
demo and a benchmark can each run in their own folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SCHEMAS_DIR = PROJECT_ROOT / "schemas"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
WAREHOUSE_DIR = PROJECT_ROOT / "warehouse"
REFERENCE_DIR = SCHEMAS_DIR / "reference"
CALENDAR_FILE = SCHEMAS_DIR / "calendar.yaml"  # the reporting calendar (transforms/periods.py)


@dataclass(frozen=True)
class Home:
    """Where one installation keeps its state."""

    root: Path

    @property
    def inbox(self) -> Path:  # senders drop files here, one folder per sender code
        return self.root / "inbox"

    @property
    def claimed(self) -> Path:  # files taken out of the inbox, waiting to be processed
        return self.root / "claimed"

    @property
    def quarantine(
        self,
    ) -> Path:  # set aside: inbox/ non-regular entries never read; claimed files that failed
        return self.root / "quarantine"

    @property
    def attempts_file(self) -> Path:  # claimed path -> runs that planned it without finishing it
        return self.root / "claimed.attempts.json"

    @property
    def run_lock(self) -> Path:  # held by one `danvan run` at a time
        return self.root / "run.lock"

    @property
    def archive(self) -> Path:  # every received file, byte for byte, named by sha256
        return self.root / "archive"

    @property
    def work(self) -> Path:  # per-run intermediate files passed between tasks
        return self.root / "work"

    @property
    def outbox(self) -> Path:  # feedback for senders
        return self.root / "outbox"

    @property
    def data_docs(self) -> Path:  # Great Expectations Data Docs: a static site, the latest batches
        return self.root / "data_docs"

    @property
    def pipeline_db(self) -> Path:  # the single writer's DuckDB file (raw layer)
        return self.root / "pipeline.duckdb"

    @property
    def warehouse_db(self) -> Path:  # the published warehouse analysts query
        return self.root / "warehouse.duckdb"

    @property
    def rollup_build(self) -> Path:  # the rollup's full build, from its build task to its publish
        return self.root / "warehouse.building.duckdb"

    @property
    def ingest_build(self) -> Path:
        """An ingest's full build (no warehouse to patch yet), built, checked and published inside
        the writer lock. Never the rollup's file: that one waits outside the lock between the
        rollup's tasks, and an ingest building over it once got an empty warehouse published."""
        return self.root / "warehouse.building.ingest.duckdb"

    @property
    def extra_units(self) -> Path:  # synthetic admin units (benchmarks at --scale N); usually absent
        return self.root / "reference" / "admin_units_extra.csv"

    @property
    def lock_file(self) -> Path:
        return self.root / "pipeline.lock"

    @property
    def airflow_home(self) -> Path:
        return self.root / "airflow"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def ensure(self) -> Home:
        for p in (self.inbox, self.claimed, self.archive, self.work, self.outbox, self.logs):
            p.mkdir(parents=True, exist_ok=True)
        return self


def calendar_regime() -> str | None:
    """The reporting calendar's regime of this deployment, ``$DANVAN_CALENDAR`` (a name under
    ``regimes`` in schemas/calendar.yaml); None = the file's ``default_regime``."""
    return os.environ.get("DANVAN_CALENDAR") or None


def home(root: str | os.PathLike | None = None) -> Home:
    """The installation at ``root``, else ``$DANVAN_HOME``, else ``./data``."""
    value = root or os.environ.get("DANVAN_HOME") or "data"
    return Home(Path(value).expanduser().resolve())


def template_provinces() -> list[str] | None:
    """The provinces whose senders get templates published (``$DANVAN_TEMPLATE_PROVINCES``,
    comma-separated codes such as ``06,19``); None (unset): every province."""
    value = os.environ.get("DANVAN_TEMPLATE_PROVINCES", "")
    return [v.strip() for v in value.split(",") if v.strip()] or None


def parquet_dir() -> Path | None:
    """Where the rollup also writes the marts as Parquet (``$DANVAN_PARQUET_DIR``); None: it doesn't."""
    value = os.environ.get("DANVAN_PARQUET_DIR")
    return Path(value).expanduser().resolve() if value else None
