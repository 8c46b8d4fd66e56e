"""JobcastBackend against Django's Tasks API: enqueue, results, context, options, ownership, signals.

Jobs run for real in the inline pool (CELERY_ENABLED=false); the same runner as a worker's.
"""
from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.jobs import selectors, services
from apps.jobs.models import Event, Job
from apps.jobs.tasks_backend import JobcastBackend, job_priority, owned_by
from apps.jobs.tasks_compat import (
    InvalidTask,
    TaskResultDoesNotExist,
    TaskResultMismatch,
    TaskResultStatus,
    default_task_backend,
    task,
    task_backends,
    task_enqueued,
    task_finished,
    task_started,
)
from livestack.stack import wait_until
from tests.tasks_backend import sample_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def finished(result_id: str):
    def done():
        result = default_task_backend.get_result(result_id)
        return result if result.is_finished else None
    return wait_until(done, 30, what=f"task {result_id} to finish")


def test_the_default_backend_is_jobcast_and_supports_everything():
    backend = task_backends["default"]
    assert isinstance(backend, JobcastBackend)
    assert (backend.supports_defer, backend.supports_async_task, backend.supports_get_result,
            backend.supports_priority) == (True, True, True, True)


def test_enqueue_creates_a_pending_job_whose_id_is_the_result_id():
    result = sample_tasks.add.enqueue(2, b=3)
    job = Job.objects.get(pk=result.id)
    assert job.kind == "django.task" and job.status == "pending" and job.owner is None
    assert job.params["task"] == "tests.tasks_backend.sample_tasks.add"
    assert (job.params["args"], job.params["kwargs"]) == ([2], {"b": 3})
    assert result.status == TaskResultStatus.READY
    assert result.enqueued_at == job.created_at
    assert (result.args, result.kwargs, result.attempts, result.errors) == ([2], {"b": 3}, 0, [])
    with pytest.raises(ValueError):
        result.return_value  # noqa: B018 - Django raises until the task finished


def test_arguments_are_json_round_tripped():
    result = sample_tasks.add.enqueue((1, 2), b={"k": (3,)})
    assert Job.objects.get(pk=result.id).params["args"] == [[1, 2]]
    assert result.kwargs == {"b": {"k": [3]}}


def test_arguments_that_are_not_json_are_refused_and_nothing_is_created():
    with pytest.raises((TypeError, ValueError)):
        sample_tasks.add.enqueue(object(), 1)
    with pytest.raises(ValueError):
        sample_tasks.add.enqueue(float("nan"), 1)
    assert not Job.objects.exists()


def test_a_task_a_worker_could_not_import_is_refused():
    def orphan():
        return 1
    orphan.__module__, orphan.__qualname__ = "no_such_module_anywhere", "orphan"
    with pytest.raises(InvalidTask, match="not importable"):
        task(orphan).enqueue()

    def in_main():
        return 1
    in_main.__module__, in_main.__qualname__ = "__main__", "in_main"
    with pytest.raises(InvalidTask, match="__main__"):
        task(in_main)
    assert not Job.objects.exists()


def module_level(context, x):
    return x


def test_djangos_own_task_rules_hold():
    """The checks of Django's base backend, which JobcastBackend keeps."""
    def local():
        return 1
    with pytest.raises(InvalidTask, match="module level"):
        task(local)
    with pytest.raises(InvalidTask, match="priority"):
        sample_tasks.add.using(priority=101)
    with pytest.raises(InvalidTask, match="aware"):
        sample_tasks.add.using(run_after=timezone.now().replace(tzinfo=None))
    with pytest.raises(InvalidTask, match="context"):
        task(takes_context=True)(sample_tasks.add.func)
    assert task(takes_context=True)(module_level).takes_context


def test_a_result_read_through_another_task_is_a_mismatch():
    result = sample_tasks.add.enqueue(1, 1)
    with pytest.raises(TaskResultMismatch):
        sample_tasks.explode.get_result(result.id)


def test_success_through_get_result(inline_jobs):
    result = sample_tasks.add.enqueue(2, 3)
    done = finished(result.id)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value == 5
    assert done.enqueued_at <= done.started_at <= done.last_attempted_at <= done.finished_at
    assert done.attempts == 1 and len(done.worker_ids) == 1 and done.errors == []
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == 5
    assert sample_tasks.add.get_result(result.id).return_value == 5


def test_the_context_reports_progress_like_a_kind_body(inline_jobs):
    result = sample_tasks.count_rows.enqueue(rows=10)
    done = finished(result.id)
    assert done.return_value == {"rows": 10, "attempt": 1, "job_id": result.id}
    events = list(Event.objects.filter(job_id=result.id).order_by("seq"))
    assert [e.event for e in events][:3] == ["pending", "started", "stage"]
    assert events[2].stage == "counting"
    progress = [(e.progress, e.message) for e in events if e.event == "progress"]
    assert progress[-1] == (100.0, "row 10 of 10")
    assert all(message.startswith("row ") for _, message in progress)
    assert events[-1].event == "success"


def test_a_failing_task_is_retried_then_failed_with_each_attempts_error(inline_jobs):
    result = sample_tasks.explode.enqueue("bad row 7")
    done = finished(result.id)
    assert done.status == TaskResultStatus.FAILED
    assert done.attempts == 3  # OPTIONS max_attempts
    assert [e.exception_class_path for e in done.errors] == ["tests.tasks_backend.sample_tasks.RowError"] * 3
    assert all("bad row 7" in e.traceback and "Traceback" in e.traceback for e in done.errors)
    assert done.errors[0].exception_class is sample_tasks.RowError
    assert Event.objects.filter(job_id=result.id, event="retry").count() == 2
    with pytest.raises(ValueError):
        done.return_value  # noqa: B018


def test_retries_see_their_attempt_number(inline_jobs):
    done = finished(sample_tasks.flaky.enqueue(succeed_on=2).id)
    assert done.status == TaskResultStatus.SUCCESSFUL and done.return_value == 2
    assert done.attempts == 2 and len(done.errors) == 1


def test_async_tasks_run(inline_jobs):
    assert finished(sample_tasks.async_sum.enqueue([1, 2, 3]).id).return_value == 6
    again = finished(sample_tasks.async_sum.enqueue([4], delay_ms=5).id)
    assert again.return_value == 4
    with_context = finished(sample_tasks.async_progress.enqueue(steps=5).id)
    assert with_context.return_value == 5
    last = Event.objects.filter(job_id=with_context.id, event="progress").order_by("seq").last()
    assert (last.progress, last.message) == (100.0, "step 5 of 5")


async def test_aenqueue_and_aget_result():
    result = await sample_tasks.add.aenqueue(1, 1)
    fetched = await default_task_backend.aget_result(result.id)
    assert fetched.id == result.id and fetched.status == TaskResultStatus.READY
    await fetched.arefresh()


def test_priority_maps_linearly_onto_0_to_9():
    assert [job_priority(p) for p in (-100, -50, 0, 50, 100)] == [0, 2, 5, 7, 9]
    result = sample_tasks.urgent_file_task.enqueue()
    job = Job.objects.get(pk=result.id)
    assert (job.priority, job.queue) == (9, "files")
    low = sample_tasks.add.using(priority=-100).enqueue(1, 1)
    assert Job.objects.get(pk=low.id).priority == 0
    assert default_task_backend.get_result(result.id).task.priority == 100


def test_queue_names_are_celery_queues_checked_against_queues():
    assert Job.objects.get(pk=sample_tasks.add.enqueue(1, 1).id).queue == "jobs"  # Django's "default"
    assert Job.objects.get(pk=sample_tasks.add.using(queue_name="ocr").enqueue(1, 1).id).queue == "ocr"
    with pytest.raises(InvalidTask, match="not valid"):
        sample_tasks.add.using(queue_name="nobody-listens")


def test_run_after_keeps_the_job_pending_with_its_planned_time(inline_jobs):
    at = timezone.now() + timedelta(hours=1)
    result = sample_tasks.add.using(run_after=at).enqueue(1, 1)
    job = Job.objects.get(pk=result.id)
    assert job.status == "pending" and "starts at" in job.message
    pending = Event.objects.get(job_id=job.pk, seq=1)
    assert pending.data["run_after"].startswith(at.astimezone(UTC).isoformat()[:19])
    assert default_task_backend.get_result(result.id).task.run_after == at
    with pytest.raises(InvalidTask, match="run_after"):
        sample_tasks.add.using(run_after=timezone.now() + timedelta(days=2)).enqueue(1, 1)


def test_a_near_run_after_starts_no_earlier(inline_jobs):
    at = timezone.now() + timedelta(seconds=1)
    done = finished(sample_tasks.add.using(run_after=at).enqueue(1, 1).id)
    assert done.started_at >= at and done.return_value == 2


def test_ownership_follows_owned_by(alice, bob, staff):
    with owned_by(alice):
        mine = sample_tasks.add.enqueue(1, 1)
        with owned_by(None):
            nobodys = sample_tasks.add.enqueue(1, 1)
    anonymous = sample_tasks.add.enqueue(1, 1)
    assert Job.objects.get(pk=mine.id).owner == alice
    assert Job.objects.get(pk=nobodys.id).owner is None and Job.objects.get(pk=anonymous.id).owner is None
    assert selectors.job_for_user(alice, mine.id) is not None
    assert selectors.job_for_user(bob, mine.id) is None
    assert selectors.job_for_user(alice, anonymous.id) is None
    assert selectors.job_for_user(staff, anonymous.id) is not None
    assert set(selectors.jobs_visible_to(alice).values_list("pk", flat=True)) == {Job.objects.get(pk=mine.id).pk}


def test_a_task_enqueued_by_a_task_has_the_same_owner(inline_jobs, alice):
    with owned_by(alice):
        parent = sample_tasks.enqueue_child.enqueue()
    child_id = finished(parent.id).return_value
    assert Job.objects.get(pk=child_id).owner == alice
    assert finished(child_id).return_value == 3


def test_the_three_signals_are_sent(inline_jobs):
    seen = []

    def receiver(signal_name):
        def receive(sender, task_result, **kwargs):
            if task_result.args == [1234, 1]:  # this test's task, not a leftover of another test
                seen.append((signal_name, task_result.id, task_result.status))
        return receive
    receivers = {name: receiver(name) for name in ("enqueued", "started", "finished")}
    task_enqueued.connect(receivers["enqueued"])
    task_started.connect(receivers["started"])
    task_finished.connect(receivers["finished"])
    try:
        result = sample_tasks.add.enqueue(1234, 1)
        finished(result.id)
        wait_until(lambda: any(name == "finished" for name, *_ in seen), 10, what="task_finished")
    finally:
        task_enqueued.disconnect(receivers["enqueued"])
        task_started.disconnect(receivers["started"])
        task_finished.disconnect(receivers["finished"])
    assert seen == [("enqueued", result.id, TaskResultStatus.READY), ("started", result.id, TaskResultStatus.RUNNING),
                    ("finished", result.id, TaskResultStatus.SUCCESSFUL)]


def test_a_cancelled_task_is_failed():
    result = sample_tasks.add.using(run_after=timezone.now() + timedelta(hours=1)).enqueue(1, 1)
    services.job_cancel(job=Job.objects.get(pk=result.id))
    result.refresh()
    assert result.status == TaskResultStatus.FAILED and result.errors == []


def test_get_result_of_no_such_task():
    ticker = services.job_create(owner=None, kind="jobs.ticker", params={"steps": 1, "interval_ms": 0})
    for missing in ("not-a-uuid", "00000000-0000-0000-0000-000000000000", str(ticker.pk)):
        with pytest.raises(TaskResultDoesNotExist):
            default_task_backend.get_result(missing)


def test_no_http_client_can_submit_a_task_path(alice, staff):
    client = APIClient()
    for user in (alice, staff):
        client.force_authenticate(user)
        assert "django.task" not in [k["kind"] for k in client.get("/api/kinds/").json()]
        for params in ({"task": "tests.tasks_backend.sample_tasks.add", "args": [1, 2]},
                       {"task": "os.system", "args": ["true"], "kwargs": {}}, {}):
            refused = client.post("/api/jobs/", {"kind": "django.task", "params": params}, format="json")
            assert refused.status_code == 400 and "params" in refused.json(), refused.content
    assert not Job.objects.exists()


def test_an_owned_task_is_followed_over_rest_and_retried(inline_jobs, alice, bob):
    with owned_by(alice):
        result = sample_tasks.explode.enqueue("once")
    finished(result.id)
    client = APIClient()
    client.force_authenticate(bob)
    assert client.get(f"/api/jobs/{result.id}/").status_code == 404
    client.force_authenticate(alice)
    assert client.get(f"/api/jobs/{result.id}/").json()["status"] == "failure"
    assert client.post(f"/api/jobs/{result.id}/retry/").status_code == 202
    wait_until(lambda: default_task_backend.get_result(result.id).status == TaskResultStatus.FAILED
               and Job.objects.get(pk=result.id).attempt > 3, 30, what="the manual retry to fail again")


def test_the_system_check_names_a_queue_no_worker_consumes():
    backend = JobcastBackend("elsewhere", {"QUEUES": ["default", "jobs", "nobody-listens"]})
    errors = list(backend.check())
    assert [e.id for e in errors] == ["jobs.E101"] and "nobody-listens" in errors[0].msg
    assert list(task_backends["default"].check()) == []


def test_the_admin_lists_cancels_and_shows_an_ownerless_task(client, django_user_model, settings):
    settings.STORAGES = {**settings.STORAGES,  # pages render without collectstatic's manifest
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    admin_user = django_user_model.objects.create_superuser("admin", "admin@example.com", "admin-password")
    client.force_login(admin_user)
    result = sample_tasks.add.using(run_after=timezone.now() + timedelta(hours=1)).enqueue(4, 5)
    listing = client.get("/admin/jobs/job/", {"kind": "django.task"})
    assert listing.status_code == 200 and result.id in listing.content.decode()
    assert client.get(f"/admin/jobs/job/{result.id}/change/").status_code == 200
    client.post("/admin/jobs/job/", {"action": "cancel_jobs", "_selected_action": [result.id]})
    result.refresh()
    assert Job.objects.get(pk=result.id).status == "revoked" and result.status == TaskResultStatus.FAILED
