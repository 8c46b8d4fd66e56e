"""The closed vocabulary of job statuses and events, and the one place transitions are checked.

Statuses are Celery's states, lower-cased. Terminal statuses never change again except through
an explicit retry (a new attempt), which is its own transition: `pending` from `failure` or
`revoked`. A late or redelivered message can therefore never rewind a finished job.
"""
from __future__ import annotations

from dataclasses import dataclass

PENDING, STARTED, RETRY, SUCCESS, FAILURE, REVOKED = (
    "pending", "started", "retry", "success", "failure", "revoked",
)
STATUSES = (PENDING, STARTED, RETRY, SUCCESS, FAILURE, REVOKED)
TERMINAL = frozenset({SUCCESS, FAILURE, REVOKED})
RETRYABLE = frozenset({FAILURE, REVOKED})

# Event types: one per status plus the four that do not change it (`output`: a chunk of the
# job's streamed text output, in data.text).
STAGE, PROGRESS, LOG, OUTPUT = "stage", "progress", "log", "output"
EVENT_TYPES = (PENDING, STARTED, STAGE, PROGRESS, LOG, RETRY, SUCCESS, FAILURE, REVOKED, OUTPUT)

# Which status each event leads to (None: unchanged) and from which statuses it may come.
_EVENT_RULES: dict[str, tuple[str | None, frozenset[str]]] = {
    PENDING: (PENDING, frozenset({PENDING}) | RETRYABLE),
    STARTED: (STARTED, frozenset({PENDING, RETRY, STARTED})),
    STAGE: (None, frozenset({STARTED})),
    PROGRESS: (None, frozenset({STARTED})),
    LOG: (None, frozenset({PENDING, STARTED, RETRY})),
    OUTPUT: (None, frozenset({STARTED})),
    RETRY: (RETRY, frozenset({STARTED})),
    SUCCESS: (SUCCESS, frozenset({STARTED})),
    FAILURE: (FAILURE, frozenset({PENDING, STARTED, RETRY})),
    REVOKED: (REVOKED, frozenset({PENDING, STARTED, RETRY})),
}


class TransitionRefused(Exception):
    """The event does not fit the job's current status (e.g. progress after `revoked`)."""

    def __init__(self, event: str, status: str) -> None:
        super().__init__(f"event {event!r} is not allowed while the job is {status!r}")
        self.event = event
        self.status = status


@dataclass(frozen=True)
class Transition:
    """What an accepted event does to the job row."""

    status: str
    progress: float
    new_attempt: bool


def transition(*, event: str, status: str, progress: float, new_progress: float | None) -> Transition:
    """Check `event` against the current `status` and return the job's next status and progress.

    Progress never decreases within an attempt: a lower value keeps the current one. A new
    attempt (a retry event, or a manual retry back to pending) starts again from 0.
    """
    if event not in _EVENT_RULES:
        raise ValueError(f"unknown event type {event!r}")
    target, allowed_from = _EVENT_RULES[event]
    if status not in allowed_from:
        raise TransitionRefused(event, status)
    new_status = target or status
    if event == SUCCESS:
        return Transition(new_status, 100.0, False)
    if event == PENDING and status in RETRYABLE:
        return Transition(new_status, 0.0, True)
    if event == RETRY and status == STARTED:
        return Transition(new_status, 0.0, True)
    if new_progress is None:
        return Transition(new_status, progress, False)
    return Transition(new_status, max(progress, min(100.0, max(0.0, float(new_progress)))), False)
