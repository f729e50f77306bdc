"""An exclusive lock on a file, across processes (Airflow workers, `danvan run`, the CLI)."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def exclusive(lock_file: Path) -> Iterator[None]:
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextlib.contextmanager
def try_exclusive(lock_file: Path) -> Iterator[str | None]:
    """Take the lock without waiting: yields None when taken (the holder's pid is written in the
    file), else what the holder wrote (its pid). Released when the block ends or the process dies."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            yield fh.read().strip() or "?"
            return
        try:
            fh.truncate(0)
            fh.write(str(os.getpid()))
            fh.flush()
            yield None
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
