"""The transition rules: what each event may follow, and progress that never goes back."""
import pytest

from apps.jobs import states
from apps.jobs.states import TransitionRefused, transition


def test_a_finished_job_is_never_rewound():
    for status in states.TERMINAL:
        for event in (states.STARTED, states.PROGRESS, states.STAGE, states.SUCCESS, states.RETRY):
            with pytest.raises(TransitionRefused):
                transition(event=event, status=status, progress=100, new_progress=10)


def test_no_success_after_revoked_and_no_progress_before_start():
    with pytest.raises(TransitionRefused):
        transition(event=states.SUCCESS, status=states.REVOKED, progress=50, new_progress=None)
    with pytest.raises(TransitionRefused):
        transition(event=states.PROGRESS, status=states.PENDING, progress=0, new_progress=5)


def test_progress_never_decreases_within_an_attempt_and_is_clamped():
    assert transition(event=states.PROGRESS, status=states.STARTED, progress=60, new_progress=40).progress == 60
    assert transition(event=states.PROGRESS, status=states.STARTED, progress=60, new_progress=70).progress == 70
    assert transition(event=states.PROGRESS, status=states.STARTED, progress=60, new_progress=170).progress == 100
    assert transition(event=states.SUCCESS, status=states.STARTED, progress=60, new_progress=None).progress == 100


def test_a_new_attempt_starts_from_zero():
    retry = transition(event=states.RETRY, status=states.STARTED, progress=80, new_progress=None)
    assert retry == states.Transition(states.RETRY, 0.0, True)
    manual = transition(event=states.PENDING, status=states.FAILURE, progress=30, new_progress=None)
    assert manual == states.Transition(states.PENDING, 0.0, True)
    with pytest.raises(TransitionRefused):
        transition(event=states.PENDING, status=states.SUCCESS, progress=100, new_progress=None)


def test_cancel_allowed_only_before_the_end():
    for status in (states.PENDING, states.STARTED, states.RETRY):
        assert transition(event=states.REVOKED, status=status, progress=0, new_progress=None).status == states.REVOKED
    with pytest.raises(TransitionRefused):
        transition(event=states.REVOKED, status=states.SUCCESS, progress=100, new_progress=None)


def test_unknown_event_is_an_error():
    with pytest.raises(ValueError):
        transition(event="exploded", status=states.STARTED, progress=0, new_progress=None)
