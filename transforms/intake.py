"""Taking files out of the inbox and archiving them before anything else happens to them.

A sender drops a file into ``inbox/<sender_code>/``. Claiming moves it atomically (``os.replace``,
same filesystem) into ``claimed/<sender_code>/`` so that each file is claimed exactly once, by
whichever process gets there first (the Airflow trigger, a fallback sweep, ``danvan run``).
Archiving copies the claimed bytes to ``archive/<sha256>`` and only then may anything read them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

IGNORED_PREFIXES = (".", "~$")  # hidden files, editor lock files (~$report.xlsx)
PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload", ".swp")


@dataclass(frozen=True)
class Claimed:
    """A file taken out of the inbox. ``received_at`` is when we took it (UTC, ISO 8601)."""

    path: str
    sender_code: str
    file_name: str
    received_at: str

    def to_dict(self) -> dict:
        return asdict(self)


def _is_candidate(path: Path) -> bool:
    name = path.name
    return path.is_file() and not name.startswith(IGNORED_PREFIXES) and not name.endswith(PARTIAL_SUFFIXES)


def _received_at(path: Path) -> str:
    ns = path.stat().st_mtime_ns
    ts = datetime.fromtimestamp(ns // 10**9, tz=UTC).replace(microsecond=(ns // 1000) % 10**6)
    return ts.isoformat(timespec="microseconds")


def _sender_of(root: Path, path: Path) -> str:
    rel = path.relative_to(root)
    return rel.parts[0] if len(rel.parts) > 1 else ""


def claim_settled(inbox: Path, claimed: Path, *, min_age_s: float, now: float) -> list[Claimed]:
    """Move every settled file (unchanged for ``min_age_s`` seconds at ``now``) into ``claimed``.

    A file still being written is left alone; a file another process claimed first is skipped.
    The claimed copy's mtime becomes the submission's ``received_at``: ``now``, plus a microsecond
    per file in landing order, so that a resubmission always orders after the file it replaces
    (even when both land in one sweep), whatever the sender's clock said.
    """
    out: list[Claimed] = []
    if not inbox.is_dir():
        return out
    settled = []
    for path in inbox.rglob("*"):
        try:
            if _is_candidate(path) and now - (mtime := path.stat().st_mtime) >= min_age_s:
                settled.append((mtime, str(path), path))
        except FileNotFoundError:  # claimed by someone else between listing and stat
            continue
    for n, (_, _, path) in enumerate(sorted(settled)):
        sender = _sender_of(inbox, path)
        target_dir = claimed / (sender or "_unknown_sender")
        target_dir.mkdir(parents=True, exist_ok=True)
        target = _free_name(target_dir / path.name)
        try:
            os.replace(path, target)
        except FileNotFoundError:
            continue
        stamp = int(now * 1e6) * 1000 + n * 1000  # ns; microseconds survive the ISO timestamp
        os.utime(target, ns=(stamp, stamp))
        out.append(Claimed(str(target), sender, path.name, _received_at(target)))
    return out


def list_claimed(claimed: Path) -> list[Claimed]:
    """Everything claimed and not yet recorded: the work list of an ingest run."""
    if not claimed.is_dir():
        return []
    return [
        Claimed(
            str(p),
            "" if p.parent.name == "_unknown_sender" else _sender_of(claimed, p),
            p.name,
            _received_at(p),
        )
        for p in sorted(claimed.rglob("*"))
        if _is_candidate(p)
    ]


def explicit_file(path: str | os.PathLike, sender_code: str | None = None) -> Claimed:
    """A file named in ``dag_run.conf``; its sender is its folder's name unless given."""
    p = Path(path).resolve()
    return Claimed(str(p), sender_code if sender_code is not None else p.parent.name, p.name, _received_at(p))


def _free_name(target: Path) -> Path:
    """``name.csv``, else ``name.1.csv``, ...: a second upload with the same name is a new file."""
    n = 1
    candidate = target
    while candidate.exists():
        candidate = target.with_name(f"{target.stem}.{n}{target.suffix}")
        n += 1
    return candidate


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def archive_file(archive_dir: Path, path: Path) -> tuple[str, Path]:
    """Copy ``path`` byte for byte to ``archive/<sha[:2]>/<sha><ext>``; return (sha256, archived path).

    Idempotent: archiving the same bytes twice keeps one copy. The copy is written to a temporary
    name and renamed, so a crash never leaves a truncated file under a valid hash.
    """
    sha = sha256_file(path)
    target = archive_dir / sha[:2] / f"{sha}{path.suffix.lower()}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        shutil.copyfile(path, tmp)
        if sha256_file(tmp) != sha:
            tmp.unlink()
            raise OSError(f"archive copy of {path} does not match its sha256")
        os.replace(tmp, target)
    return sha, target


def submission_id(sender_code: str, sha256: str, received_at: str, file_name: str) -> str:
    """Stable id of one receipt: the same claimed file processed twice is the same submission."""
    key = f"{sender_code}|{sha256}|{received_at}|{file_name}".encode()
    return "sub_" + hashlib.sha256(key).hexdigest()[:16]
