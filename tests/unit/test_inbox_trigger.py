"""The inbox watcher on its own: claims settled files once, leaves fresh ones, and serializes."""

from __future__ import annotations

import asyncio
import importlib
import os
import time
from pathlib import Path

import pytest

from danvan.triggers import InboxFileTrigger
from transforms.intake import list_claimed


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    inbox, claimed = tmp_path / "inbox", tmp_path / "claimed"
    (inbox / "064").mkdir(parents=True)
    claimed.mkdir()
    return inbox, claimed


def _drop(path: Path, age_s: float) -> Path:
    path.write_text("period,unit_code\n")
    t = time.time() - age_s
    os.utime(path, (t, t))
    return path


def _trigger(inbox: Path, claimed: Path) -> InboxFileTrigger:
    return InboxFileTrigger(inbox=str(inbox), claimed_dir=str(claimed), min_age_s=2.0, poke_interval=0.05)


async def _events(trigger: InboxFileTrigger, *, timeout: float) -> list:
    """Everything the trigger yields within ``timeout`` seconds (its run() never ends by itself)."""
    out: list = []

    async def consume():
        async for event in trigger.run():
            out.append(event)

    try:
        await asyncio.wait_for(consume(), timeout)
    except TimeoutError:
        pass
    return out


def test_settled_file_is_claimed_exactly_once(dirs):
    inbox, claimed = dirs
    _drop(inbox / "064" / "report.csv", age_s=60)
    trigger = _trigger(inbox, claimed)

    async def first_event():
        agen = trigger.run()
        try:
            return await asyncio.wait_for(agen.__anext__(), timeout=5)
        finally:
            await agen.aclose()

    event = asyncio.run(first_event())
    payload = event.payload
    assert Path(payload["path"]).parent == claimed  # a name of ours; the sidecar keeps sender and name
    assert Path(payload["path"]).is_file()
    assert (payload["sender_code"], payload["file_name"]) == ("064", "report.csv")
    assert not (inbox / "064" / "report.csv").exists()

    # Later pokes (several, over 0.3 s) see nothing more for that file.
    assert asyncio.run(_events(trigger, timeout=0.3)) == []
    assert [c.file_name for c in list_claimed(claimed)] == ["report.csv"]


def test_each_settled_file_gives_one_event(dirs):
    inbox, claimed = dirs
    for name in ("a.csv", "b.csv", "c.xlsx"):
        _drop(inbox / "064" / name, age_s=60)
    events = asyncio.run(_events(_trigger(inbox, claimed), timeout=0.3))
    assert sorted(e.payload["file_name"] for e in events) == ["a.csv", "b.csv", "c.xlsx"]


def test_file_still_being_written_is_left_alone(dirs):
    inbox, claimed = dirs
    fresh = _drop(inbox / "064" / "uploading.csv", age_s=0)
    assert asyncio.run(_events(_trigger(inbox, claimed), timeout=0.3)) == []
    assert fresh.exists()
    assert not any(claimed.rglob("*.csv"))


def test_missing_inbox_is_not_an_error(tmp_path):
    trigger = _trigger(tmp_path / "nope", tmp_path / "claimed")
    assert asyncio.run(_events(trigger, timeout=0.2)) == []


def test_serialize_round_trips(dirs):
    inbox, claimed = dirs
    trigger = _trigger(inbox, claimed)
    classpath, kwargs = trigger.serialize()
    module, _, name = classpath.rpartition(".")
    cls = getattr(importlib.import_module(module), name)
    rebuilt = cls(**kwargs)
    assert cls is InboxFileTrigger
    assert rebuilt.serialize() == (classpath, kwargs)
    assert kwargs == {
        "inbox": str(inbox),
        "claimed_dir": str(claimed),
        "min_age_s": 2.0,
        "poke_interval": 0.05,
    }


@pytest.mark.parametrize("from_mtime", [False, True])
def test_received_at_is_the_claim_time_unless_a_simulation_asks_for_the_mtime(dirs, from_mtime):
    """``arrival_from_mtime`` (``danvan run --arrival-from-mtime``) is for simulations only: by
    default a sender's backdated file is received when it is claimed."""
    from datetime import UTC, datetime

    from transforms.intake import claim_settled

    inbox, claimed = dirs
    _drop(inbox / "064" / "a.csv", 86_400 * 30)  # dated a month ago
    now = time.time()
    [c] = claim_settled(inbox, claimed, min_age_s=0, now=now, arrival_from_mtime=from_mtime)
    received = datetime.fromisoformat(c.received_at)
    expected = (now - 86_400 * 30) if from_mtime else now
    assert abs(received.timestamp() - expected) < 1 and received.tzinfo == UTC
