"""Writing a file whole or not at all, under a temporary name no other writer shares.

Every artefact a person or a later task opens (feedback, templates, reports, ledgers, batch
artefacts, Data Docs pages, claim sidecars) is written to a temp file beside its final path and
renamed over it: a reader never opens half a file, and a crash or a full disk leaves the old one.
The temp name comes from ``mkstemp``: two writers of the same path (an ingest's notify and a
validator's decision, two report runs) once shared ``.<name>.tmp``, so one renamed the other's
half-written file into place or crashed on a name already renamed away.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomically(path: Path, write: Callable[[Path], object]) -> Path:
    """``write(tmp)`` into a fresh temp file beside ``path``, then rename it into place, 0644 as a
    plain write leaves it (mkstemp's 0600 would hide a sender's feedback from whoever shares the
    outbox folder with them)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_bytes_atomically(path: Path, data: bytes) -> Path:
    return write_atomically(path, lambda tmp: tmp.write_bytes(data))


def write_text_atomically(path: Path, text: str, encoding: str = "utf-8") -> Path:
    return write_atomically(path, lambda tmp: tmp.write_text(text, encoding=encoding))
