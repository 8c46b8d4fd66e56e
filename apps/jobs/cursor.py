"""The sequence cursor: which events of a job a stream has sent, so each goes out once, in order.

Every stream (job socket, feed socket, SSE) joins its group first, then replays the stored log,
then sends live events. A live event at or below the cursor is a duplicate (it was replayed, or
pushed twice); one that skips ahead means a push was lost, and the seqs in between must be read
from the log before it is sent. This class is that bookkeeping and nothing else: no I/O.
"""
from __future__ import annotations


class SequenceCursor:
    """The last seq sent, per job id."""

    def __init__(self) -> None:
        self._last: dict[str, int] = {}

    def knows(self, job_id: str) -> bool:
        """Whether anything of this job was sent (or a resume point set) on this stream."""
        return job_id in self._last

    def last(self, job_id: str, default: int = 0) -> int:
        return self._last.get(job_id, default)

    def missing_before(self, job_id: str, seq: int) -> range | None:
        """None when `seq` was already sent (drop it); else the seqs to send from the log first.

        The range is empty when `seq` follows directly. For a job the cursor does not know yet,
        every earlier seq is a candidate: the caller decides which of them this stream may send.
        """
        last = self._last.get(job_id, 0)
        if seq <= last:
            return None
        return range(last + 1, seq)

    def take(self, job_id: str, events: list[dict]) -> list[dict]:
        """The events not yet sent, in seq order and each once; the cursor moves past them.

        For a replay, a gap fill and a live event alike: the caller fills a gap from the log
        (`missing_before`) before it passes a live event that skips ahead.
        """
        fresh = []
        for event in sorted(events, key=lambda e: e["seq"]):
            if event["seq"] > self._last.get(job_id, 0):
                fresh.append(event)
                self._last[job_id] = event["seq"]
        return fresh

    def sent(self, job_id: str, seq: int) -> None:
        """Record that `seq` went out (or, at a resume point, that everything up to it did)."""
        if seq > self._last.get(job_id, -1):
            self._last[job_id] = seq
