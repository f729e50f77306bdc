"""Where a full warehouse build spends its time: each step, model and data test, in seconds.

    .venv/bin/python -m bench.profile_build HOME [--repeat N] [--cpu]

HOME is a DANVAN_HOME whose pipeline.duckdb is loaded (the bench's 16-half-year history, for
instance). Builds into a scratch file beside it, runs the data tests on it, and prints the
slowest steps first (the median over ``--repeat`` builds). ``--cpu``: process CPU seconds (every
DuckDB thread) instead of wall seconds, the figure to compare on a shared machine. Nothing is
published.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from transforms import warehouse
from transforms.config import home


def profile(root: Path, repeat: int = 1) -> dict[str, float]:
    h = home(root)
    target = h.root / "warehouse.profile.duckdb"
    runs: list[dict[str, float]] = []
    try:
        for _ in range(repeat):
            timings: dict[str, float] = {}
            started = warehouse.CLOCK()
            warehouse.build(h.pipeline_db, target, h.extra_units if h.extra_units.exists() else None, timings)
            timings["= build"] = warehouse.CLOCK() - started
            started = warehouse.CLOCK()
            warehouse.check(target, timings)
            timings["= check"] = warehouse.CLOCK() - started
            runs.append(timings)
    finally:
        target.unlink(missing_ok=True)
        Path(str(target) + ".wal").unlink(missing_ok=True)
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def main() -> int:
    p = argparse.ArgumentParser(prog="python -m bench.profile_build", description=__doc__.split("\n\n")[0])
    p.add_argument("home", type=Path)
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--cpu", action="store_true", help="CPU seconds of the process, not wall seconds")
    args = p.parse_args()
    if args.cpu:
        warehouse.CLOCK = time.process_time
    for step, seconds in sorted(profile(args.home, args.repeat).items(), key=lambda kv: -kv[1]):
        print(f"{seconds:8.3f}  {step}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
