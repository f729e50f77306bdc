"""Giving memory back between the steps of one process.

``danvan run`` executes every task of a DAG run in one process (``dag.test``), so what a task
freed must really go back to the system before the next one: glibc keeps freed blocks in per-thread
arenas (DuckDB and pyarrow start many threads), and a process that validated ten batches then
looks as big as all of them. Under a real executor each task is its own process and this costs
nothing. Linux/glibc only; elsewhere both calls do nothing.
"""

from __future__ import annotations

import atexit
import ctypes
import gc
from functools import cache

_M_ARENA_MAX = -8  # mallopt parameter (malloc.h)


@cache
def _libc():
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        return None


def limit_arenas(n: int = 2) -> None:
    """Few malloc arenas for this process (call before threads start): less memory held in free lists."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(_M_ARENA_MAX, n)


def release() -> None:
    """Collect garbage and return free heap memory to the system (end of a task).

    What survives the collection is frozen (``gc.freeze``): the next collection, this one's or
    Python's own, scans only what was made since. Without it each call walked the whole heap of
    a process holding Airflow, GX and pandas, twice a batch (README, "Tests" has the cost). An
    object alive now that later ends in a reference cycle is then never collected: the survivors of
    a task are modules, caches and the task's own result, which stay anyway. They are unfrozen at
    exit, so that the interpreter's last collection still finalises them (DuckDB's bindings report
    every object left alive then as a leak)."""
    gc.collect()
    gc.freeze()
    _unfreeze_at_exit()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


@cache
def _unfreeze_at_exit() -> None:
    atexit.register(gc.unfreeze)
