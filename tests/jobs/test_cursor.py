"""The replay/live seam rule (apps/jobs/cursor.py) and the SSE wire helpers (apps/jobs/sse.py)."""
import json

import pytest

from apps.jobs.cursor import SequenceCursor
from apps.jobs.sse import resume_point, sse_frame


def ev(seq: int) -> dict:
    return {"seq": seq, "event": "progress"}


JOB, OTHER = "job-a", "job-b"


def test_replay_then_live_copies_of_replayed_events_are_duplicates():
    cursor = SequenceCursor()
    cursor.sent(JOB, 2)
    assert [e["seq"] for e in cursor.take(JOB, [ev(3), ev(4), ev(5)])] == [3, 4, 5]
    assert cursor.missing_before(JOB, 4) is None and cursor.missing_before(JOB, 5) is None
    assert cursor.missing_before(JOB, 6) == range(6, 6)
    assert cursor.take(JOB, [ev(6)]) == [ev(6)] and cursor.last(JOB) == 6


def test_a_live_event_that_skips_ahead_names_the_seqs_to_read_from_the_log():
    cursor = SequenceCursor()
    cursor.sent(JOB, 3)
    assert list(cursor.missing_before(JOB, 7)) == [4, 5, 6]
    assert cursor.last(JOB) == 3, "asking never moves the cursor"
    assert [e["seq"] for e in cursor.take(JOB, [ev(7), ev(5), ev(4), ev(6), ev(5)])] == [4, 5, 6, 7]


def test_take_drops_everything_at_or_below_the_cursor_and_jobs_are_apart():
    cursor = SequenceCursor()
    cursor.sent(JOB, 5)
    assert cursor.take(JOB, [ev(1), ev(5)]) == [] and cursor.last(JOB) == 5
    assert not cursor.knows(OTHER) and cursor.missing_before(OTHER, 3) == range(1, 3)
    cursor.sent(OTHER, 1)
    cursor.sent(OTHER, 0)  # a resume point below what was sent never moves it back
    assert cursor.last(OTHER) == 1 and cursor.last(JOB) == 5


@pytest.mark.parametrize(("header", "query", "expected"), [
    (None, None, (0, None)),
    (None, "7", (7, None)),
    ("9", "0", (9, None)),  # a reconnecting EventSource keeps its first URL: the header wins
    ("", "4", (4, None)),
    (None, "x", (0, {"after": ["must be an integer"]})),
    ("-2", None, (0, {"Last-Event-ID": ["must not be negative"]})),
])
def test_resume_point(header, query, expected):
    assert resume_point(header, query) == expected


def test_sse_frame_is_one_message_with_id_event_and_a_single_data_line():
    frame = sse_frame("output", {"text": "two\nlines"}, 12)
    assert frame.endswith("\n\n") and frame.count("\n") == 4
    lines = frame.splitlines()
    assert lines[:2] == ["id: 12", "event: output"]
    assert json.loads(lines[2].removeprefix("data: ")) == {"text": "two\nlines"}
    assert sse_frame("snapshot", {}).startswith("event: snapshot\n")
