"""Taking files out of the inbox: claim (atomic move), list what is claimed, archive byte for byte.

What is taken, and how (issue 8: no inbox entry can break a batch or reach outside DANVAN_HOME):

- Only **regular files** are claimed, judged by ``lstat``: no link is ever followed. The inbox is
  ``inbox/<sender folder>/<file>`` (a file directly in ``inbox/`` has no sender). Symlinks, FIFOs,
  sockets, devices and folders inside a sender folder are never opened (opening a FIFO blocks
  forever): once ``min_age_s`` old they are moved, the entry itself and never its target, into
  ``quarantine/inbox/<id>/`` with a ``reason.json``, so they are not listed again and again.
  Hidden files (``.x``), editor locks (``~$x``) and partial downloads (``.part`` ...) stay put.
- **A file still being written is never claimed.** A file is taken when its mtime is at least
  ``SETTLE_FLOOR_S`` old (and ``min_age_s``), or, when the caller asks for less (``danvan run``
  asks for 0), when its size, mtime and ctime are unchanged across a second look
  ``SECOND_LOOK_S`` later (one wait per sweep, not per file). A writer that pauses longer than
  that between writes can still be caught mid-file: upload under a partial name and rename.
- **Names of any kind.** The claimed copy gets a short name of ours, ``claimed/<id><ext>`` (the
  extension only when it is short ASCII), and a sidecar ``claimed/<id>.claim.json`` holds what the
  layout never has to encode: the exact sender folder name, the original file name (as text: bytes
  that are not UTF-8 become U+FFFD) and ``received_at``. Submission ids derive from these, so they
  are stable for a claim. A sidecar whose file is gone (recorded by ``load``) is removed by the
  next listing after ``ORPHAN_SIDECAR_S``; ``release_claim`` removes both at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from transforms.files import write_text_atomically
from transforms.records import Claim

IGNORED_PREFIXES = (".", "~$")  # hidden files, editor lock files (~$report.xlsx)
PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload", ".swp")
SETTLE_FLOOR_S = 2.0  # a file whose mtime is this old is taken without a second look
SECOND_LOOK_S = 0.3  # a younger file is taken only if unchanged across a look this much later
SIDECAR = ".claim.json"
ORPHAN_SIDECAR_S = 60.0  # a sidecar without its file this old is a finished claim: removed
_SAFE_EXT = re.compile(r"\.[a-z0-9]{1,10}")


@dataclass(frozen=True)
class Claimed:
    """A file taken out of the inbox. ``received_at`` is when we took it (UTC, ISO 8601)."""

    path: str
    sender_code: str
    file_name: str
    received_at: str

    def to_dict(self) -> Claim:
        return Claim(**asdict(self))


def text_name(name: str) -> str:
    """A file or folder name as text: undecodable bytes (surrogate escapes) become U+FFFD, so the
    name survives JSON, Parquet and DuckDB."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _is_candidate_name(name: str) -> bool:
    return not name.startswith(IGNORED_PREFIXES) and not name.endswith(PARTIAL_SUFFIXES)


def _is_candidate(path: Path) -> bool:
    try:
        st = path.lstat()
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and _is_candidate_name(path.name)


def _iso(ns: int) -> str:
    ts = datetime.fromtimestamp(ns // 10**9, tz=UTC).replace(microsecond=(ns // 1000) % 10**6)
    return ts.isoformat(timespec="microseconds")


def _received_at(path: Path) -> str:
    return _iso(path.lstat().st_mtime_ns)


def _sender_of(root: Path, path: Path) -> str:
    rel = path.relative_to(root)
    return rel.parts[0] if len(rel.parts) > 1 else ""


def _inbox_entries(inbox: Path):
    """(path, sender folder name or "", lstat) of every entry at depth 1 (no sender) and depth 2.
    Sender folders are real directories; nothing is followed."""
    try:
        top = list(os.scandir(inbox))
    except OSError:
        return
    for entry in top:
        if not _is_candidate_name(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISDIR(st.st_mode):
            yield Path(entry.path), "", st
            continue
        try:
            inner = list(os.scandir(entry.path))
        except OSError:
            continue
        for item in inner:
            if not _is_candidate_name(item.name):
                continue
            try:
                yield Path(item.path), entry.name, item.stat(follow_symlinks=False)
            except OSError:
                continue


def _kind(mode: int) -> str:
    for test, kind in (
        (stat.S_ISLNK, "symlink"),
        (stat.S_ISDIR, "folder"),
        (stat.S_ISFIFO, "fifo"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "device"),
        (stat.S_ISBLK, "device"),
    ):
        if test(mode):
            return kind
    return "other"


def _signature(st: os.stat_result) -> tuple:
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def claim_settled(
    inbox: Path,
    claimed: Path,
    *,
    min_age_s: float,
    now: float,
    second_look_s: float = SECOND_LOOK_S,
    quarantine: Path | None = None,
    arrival_from_mtime: bool = False,
) -> list[Claimed]:
    """Move every settled regular file into ``claimed`` (rules in the module docstring).

    A file another process claimed first is skipped. ``received_at`` is ``now``, plus a
    microsecond per file in landing order, so that a resubmission always orders after the file it
    replaces (even when both land in one sweep), whatever the sender's clock said. Non-regular
    entries go to ``quarantine`` (default: ``quarantine/inbox`` next to ``claimed``).

    ``arrival_from_mtime``: ``received_at`` is the file's mtime instead (to the microsecond). For
    simulations only (``danvan generate --late-rate`` dates each file's arrival in its mtime;
    ``danvan run --arrival-from-mtime``): an upload's mtime can be whatever the sender's clock or
    tool said, so production never trusts it (the inbox watcher never sets this).
    """
    out: list[Claimed] = []
    if not inbox.is_dir():
        return out
    quarantine = quarantine or claimed.parent / "quarantine" / "inbox"
    floor = max(min_age_s, SETTLE_FLOOR_S)
    taken, second_look = [], []
    for path, sender, st in _inbox_entries(inbox):
        age = now - st.st_mtime
        if not stat.S_ISREG(st.st_mode):
            if age >= min_age_s or age < 0:  # nothing to wait for: it is never read
                _quarantine(path, sender, _kind(st.st_mode), quarantine, now)
            continue
        if age >= floor:
            taken.append((st.st_mtime_ns, str(path), path, sender))
        elif age >= min_age_s or age < 0:  # young (or dated in the future): look twice
            second_look.append((path, sender, st))
    if second_look:
        time.sleep(second_look_s)
        for path, sender, st in second_look:
            try:
                again = path.lstat()
            except OSError:
                continue
            if stat.S_ISREG(again.st_mode) and _signature(again) == _signature(st):
                taken.append((st.st_mtime_ns, str(path), path, sender))
    if taken:
        claimed.mkdir(parents=True, exist_ok=True)
    for n, (mtime_ns, _, path, sender) in enumerate(sorted(taken)):
        stamp = int(now * 1e6) * 1000 + n * 1000  # ns; microseconds survive the ISO timestamp
        if arrival_from_mtime:
            stamp = mtime_ns // 1000 * 1000
        c = _claim_one(path, sender, claimed, quarantine, stamp, now)
        if c is not None:
            out.append(c)
    return out


def _claim_one(path: Path, sender: str, claimed: Path, quarantine: Path, stamp: int, now: float):
    key = f"{os.getpid()}|{stamp}|{os.fsencode(path).hex()}".encode()
    cid = hashlib.sha256(key).hexdigest()[:20]
    ext = path.suffix.lower()
    ext = ext if _SAFE_EXT.fullmatch(ext) else ""
    data = claimed / f"{cid}{ext}"
    meta = {
        "data": data.name,
        "sender_code": text_name(sender),
        "file_name": text_name(path.name),
        "received_at": _iso(stamp),
    }
    side = claimed / f"{cid}{SIDECAR}"
    _write_json(side, meta)  # the sidecar first: a claimed file always has its metadata
    try:
        os.rename(path, data)  # moves the entry itself; never follows a link
    except OSError:  # claimed by someone else, or vanished
        side.unlink(missing_ok=True)
        return None
    try:
        st = data.lstat()
    except OSError:
        side.unlink(missing_ok=True)
        return None
    if not stat.S_ISREG(st.st_mode):  # swapped for a link between the look and the move
        side.unlink(missing_ok=True)
        _quarantine(data, sender, _kind(st.st_mode), quarantine, now, original=path.name)
        return None
    return Claimed(str(data), meta["sender_code"], meta["file_name"], meta["received_at"])


def _write_json(path: Path, payload: dict) -> None:
    write_text_atomically(path, json.dumps(payload, ensure_ascii=False))


def _quarantine(
    path: Path, sender: str, kind: str, quarantine: Path, now: float, original: str | None = None
):
    """Move the entry itself (a link, FIFO, folder, ...) out of the inbox; its target is untouched."""
    qid = hashlib.sha256(f"{os.getpid()}|{now!r}|{os.fsencode(path).hex()}".encode()).hexdigest()[:20]
    folder = quarantine / qid
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.rename(path, folder / path.name)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return
    _write_json(
        folder / "reason.json",
        {
            "kind": kind,
            "sender_code": text_name(sender),
            "file_name": text_name(original or path.name),
            "reason": f"not a regular file ({kind}): never read",
            "quarantined_at": _iso(int(now * 1e9)),
        },
    )


def list_claimed(claimed: Path) -> list[Claimed]:
    """Everything claimed and not yet recorded: the work list of an ingest run.

    Claims are ``<id><ext>`` files with their sidecar. Files in sender folders (the layout before
    sidecars, and the inbox itself when counting waiting files) are listed with their folder's
    name as sender. Nothing is followed: only regular files are listed."""
    if not claimed.is_dir():
        return []
    out = []
    sidecars = {}
    for entry in sorted(os.scandir(claimed), key=lambda e: e.name):
        if entry.name.endswith(SIDECAR) and not entry.name.startswith("."):
            sidecars[entry.name] = Path(entry.path)
    used = set()
    for path, sender, st in _inbox_entries(claimed):
        if not stat.S_ISREG(st.st_mode) or path.name.endswith(SIDECAR):
            continue
        if sender:  # the older layout: claimed/<sender>/<name>
            out.append(
                Claimed(
                    str(path),
                    "" if sender == "_unknown_sender" else text_name(sender),
                    text_name(path.name),
                    _iso(st.st_mtime_ns),
                )
            )
            continue
        side_name = path.name.split(".", 1)[0] + SIDECAR
        side = sidecars.get(side_name)
        meta = _read_json(side) if side else None
        if meta is None or meta.get("data") != path.name:
            out.append(Claimed(str(path), "", text_name(path.name), _iso(st.st_mtime_ns)))
            continue
        used.add(side_name)
        out.append(Claimed(str(path), meta["sender_code"], meta["file_name"], meta["received_at"]))
    for name, side in sidecars.items():  # finished claims: the file was recorded and removed
        if name not in used:
            try:
                if time.time() - side.lstat().st_mtime >= ORPHAN_SIDECAR_S:
                    side.unlink()
            except OSError:
                pass
    return sorted(out, key=lambda c: c.path)


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def release_claim(path: str | os.PathLike) -> None:
    """Remove a recorded claim: its file and its sidecar (a hook for ``pipeline.load``)."""
    p = Path(path)
    p.unlink(missing_ok=True)
    if p.parent.name and not p.name.startswith("."):
        p.with_name(p.name.split(".", 1)[0] + SIDECAR).unlink(missing_ok=True)


def explicit_file(path: str | os.PathLike, sender_code: str | None = None) -> Claimed:
    """A file named in ``dag_run.conf``; its sender is its folder's name unless given."""
    p = Path(path).resolve()
    sender = sender_code if sender_code is not None else text_name(p.parent.name)
    return Claimed(str(p), sender, text_name(p.name), _received_at(p))


def _open_regular(path: Path) -> int:
    """A read-only descriptor on a regular file: never follows a final symlink, never blocks on
    a FIFO (O_NONBLOCK), and refuses anything that is not a regular file."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(f"not a regular file: {text_name(str(path))}")
    return fd


def _sha256_fd(fd: int) -> str:
    h = hashlib.sha256()
    os.lseek(fd, 0, os.SEEK_SET)
    while chunk := os.read(fd, 1 << 20):
        h.update(chunk)
    return h.hexdigest()


def sha256_file(path: Path) -> str:
    fd = _open_regular(path)
    try:
        return _sha256_fd(fd)
    finally:
        os.close(fd)


def archive_file(archive_dir: Path, path: Path) -> tuple[str, Path]:
    """Copy ``path`` byte for byte to ``archive/<sha[:2]>/<sha><ext>``; return (sha256, archived path).

    Idempotent: archiving the same bytes twice keeps one copy. The copy is written to a temporary
    name and renamed, so a crash never leaves a truncated file under a valid hash. Only a regular
    file is read, through one descriptor opened without following links.
    """
    fd = _open_regular(path)
    try:
        sha = _sha256_fd(fd)
        ext = path.suffix.lower()
        target = archive_dir / sha[:2] / f"{sha}{ext if _SAFE_EXT.fullmatch(ext) else ''}"
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{sha}.{os.getpid()}.tmp")
            try:
                _copy_fd(fd, tmp)
            except BaseException:  # a full disk, say: nothing half-written stays behind
                tmp.unlink(missing_ok=True)
                raise
            if sha256_file(tmp) != sha:
                tmp.unlink()
                raise OSError(f"archive copy of {text_name(str(path))} does not match its sha256")
            os.replace(tmp, target)
    finally:
        os.close(fd)
    return sha, target


def _copy_fd(fd: int, target: Path) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    with target.open("wb") as out:
        while chunk := os.read(fd, 1 << 20):
            out.write(chunk)


def submission_id(sender_code: str, sha256: str, received_at: str, file_name: str) -> str:
    """Stable id of one receipt: the same claimed file processed twice is the same submission."""
    key = f"{sender_code}|{sha256}|{received_at}|{file_name}".encode()
    return "sub_" + hashlib.sha256(key).hexdigest()[:16]
