"""The inbox watcher: wakes the ingest DAG when a district file has settled in the inbox.

Airflow's built-in event file triggers watch one known file name and delete it, which fits flag
files, not submissions. This trigger claims instead (atomic move to ``claimed/``), so its condition
clears itself and each file produces exactly one event however many processes sweep the inbox.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from airflow.triggers.base import BaseEventTrigger, TriggerEvent

from transforms.intake import claim_settled


class InboxFileTrigger(BaseEventTrigger):
    """Claim settled inbox files and yield one event per file (a wake-up: the run takes all of claimed/)."""

    def __init__(self, *, inbox: str, claimed_dir: str, min_age_s: float = 2.0, poke_interval: float = 2.0):
        super().__init__()
        self.inbox = str(inbox)
        self.claimed_dir = str(claimed_dir)
        self.min_age_s = float(min_age_s)
        self.poke_interval = float(poke_interval)

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            "danvan.triggers.InboxFileTrigger",
            {
                "inbox": self.inbox,
                "claimed_dir": self.claimed_dir,
                "min_age_s": self.min_age_s,
                "poke_interval": self.poke_interval,
            },
        )

    def poke(self, now: float) -> list[dict]:
        """One sweep; synchronous so tests and the event loop's worker thread can share it."""
        claimed = claim_settled(Path(self.inbox), Path(self.claimed_dir), min_age_s=self.min_age_s, now=now)
        return [c.to_dict() for c in claimed]

    async def run(self) -> AsyncIterator[TriggerEvent]:
        while True:
            try:
                payloads = await asyncio.to_thread(self.poke, time.time())
            except OSError:  # a transient filesystem error must not kill the watcher for good
                self.log.exception("inbox sweep failed; retrying in %.1f s", self.poke_interval)
                payloads = []
            for payload in payloads:
                self.log.info("claimed %s", payload["path"])
                yield TriggerEvent(payload)
            await asyncio.sleep(self.poke_interval)
