"""The replay/live seam of one job's stream as a pure object: each seq once, in order.

A stream joins the job's group first, then replays the stored log, then takes live pushes.
Pushes that arrived during the replay repeat events already sent; a push can also skip ahead
when an earlier one was lost. `SequenceCursor` remembers the last seq sent and says, for each
live event, whether to drop it and which seqs must first be read from the log. No I/O here,
so any transport (SSE now, the WebSocket consumers later) can share it.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

Event = dict[str, Any]


@dataclass(frozen=True)
class Admission:
    """What to do with one live event: drop it, or send it after the `missing` seqs."""

    duplicate: bool
    missing: range

    @property
    def has_gap(self) -> bool:
        return len(self.missing) > 0


class SequenceCursor:
    """The last seq delivered on one stream; everything at or below it is a duplicate."""

    def __init__(self, after: int = 0) -> None:
        if after < 0:
            raise ValueError("after must not be negative")
        self.last = after

    def admit(self, seq: int) -> Admission:
        """Classify a live event's seq without moving the cursor."""
        if seq <= self.last:
            return Admission(duplicate=True, missing=range(0))
        return Admission(duplicate=False, missing=range(self.last + 1, seq))

    def take(self, events: Iterable[Event]) -> list[Event]:
        """The events not yet delivered, in seq order and each once; the cursor moves past them.

        Used for a replay, a gap fill and a live event alike: anything at or below the cursor
        is dropped, and nothing is skipped over (an event ahead of last+1 is still taken: the
        caller fills gaps from the log before calling this with a live event).
        """
        fresh: list[Event] = []
        for event in sorted(events, key=lambda e: e["seq"]):
            if event["seq"] > self.last:
                fresh.append(event)
                self.last = event["seq"]
        return fresh
