"""The replay/live seam rule (apps/jobs/cursor.py) and the SSE wire helpers (apps/jobs/sse.py)."""
import json

import pytest

from apps.jobs.cursor import SequenceCursor
from apps.jobs.sse import resume_point, sse_frame


def ev(seq: int) -> dict:
    return {"seq": seq, "event": "progress"}


def test_replay_then_live_copies_of_replayed_events_are_duplicates():
    cursor = SequenceCursor(after=2)
    assert [e["seq"] for e in cursor.take([ev(3), ev(4), ev(5)])] == [3, 4, 5]
    assert cursor.admit(4).duplicate and cursor.admit(5).duplicate
    live = cursor.admit(6)
    assert not live.duplicate and not live.has_gap
    assert cursor.take([ev(6)]) == [ev(6)] and cursor.last == 6


def test_a_live_event_that_skips_ahead_names_the_seqs_to_read_from_the_log():
    cursor = SequenceCursor(after=3)
    admission = cursor.admit(7)
    assert admission.has_gap and list(admission.missing) == [4, 5, 6]
    assert cursor.last == 3, "admit never moves the cursor"
    assert [e["seq"] for e in cursor.take([ev(7), ev(5), ev(4), ev(6), ev(5)])] == [4, 5, 6, 7]


def test_take_drops_everything_at_or_below_the_cursor_and_a_negative_start_is_refused():
    cursor = SequenceCursor(after=5)
    assert cursor.take([ev(1), ev(5)]) == [] and cursor.last == 5
    with pytest.raises(ValueError):
        SequenceCursor(after=-1)


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
