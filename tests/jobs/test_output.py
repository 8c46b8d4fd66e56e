"""Streamed text output: `ctx.output()` coalesced without loss, `jobs.ticker` output, `/output/`."""
import pytest
from rest_framework.test import APIClient

from apps.jobs import events, selectors, states
from apps.jobs.context import JobContext
from apps.jobs.exceptions import JobCancelled
from apps.jobs.kinds import TickerParams, ticker
from apps.jobs.models import Event, Job
from livestack.stack import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def started_job(owner) -> Job:
    job = Job.objects.create(owner=owner, kind="jobs.ticker", params={})
    events.record(job.pk, states.PENDING)
    events.record(job.pk, states.STARTED)
    return Job.objects.get(pk=job.pk)


def outputs(job) -> list[str]:
    return [d["text"] for d in Event.objects.filter(job=job, event="output").order_by("seq").values_list("data", flat=True)]


def test_chunks_inside_the_window_are_joined_and_none_is_lost(alice):
    job = started_job(alice)
    ctx = JobContext(job, min_interval_ms=10_000)
    for i in range(200):
        ctx.output(f"line {i}\n")
    ctx.stage("done")  # held output goes out before the next event
    ctx.close()
    expected = "".join(f"line {i}\n" for i in range(200))
    assert outputs(job) == ["line 0\n", expected.removeprefix("line 0\n")]
    kinds = list(Event.objects.filter(job=job).order_by("seq").values_list("event", flat=True))
    assert kinds[-3:] == ["output", "output", "stage"]
    assert selectors.job_output(job.pk) == expected


def test_held_output_does_not_drop_held_progress_nor_the_other_way_round(alice):
    job = started_job(alice)
    ctx = JobContext(job, min_interval_ms=10_000)
    ctx.progress(10)
    ctx.output("a")
    ctx.progress(20)  # held
    ctx.output("b")  # held
    ctx.progress(30)  # replaces 20
    ctx.flush()
    ctx.close()
    stored = list(Event.objects.filter(job=job, seq__gt=2).order_by("seq").values_list("event", "progress", "data"))
    assert [(e, p) for e, p, _ in stored] == [("progress", 10.0), ("output", 10.0), ("output", 10.0),
                                              ("progress", 30.0)]
    assert "".join(d.get("text", "") for _, _, d in stored) == "ab"


def test_a_held_chunk_goes_out_when_the_window_ends_even_if_the_body_sleeps(alice):
    job = started_job(alice)
    ctx = JobContext(job, min_interval_ms=200)
    ctx.output("first ")
    ctx.output("second")  # held; no further call comes
    wait_until(lambda: selectors.job_output(job.pk) == "first second", 10, what="the timer to flush the output")
    ctx.close()


def test_output_is_refused_after_cancel_and_must_be_text(alice):
    job = started_job(alice)
    ctx = JobContext(job, min_interval_ms=0)
    with pytest.raises(TypeError):
        ctx.output(b"bytes")
    events.record(job.pk, states.REVOKED)
    with pytest.raises(JobCancelled):
        ctx.output("too late")
    ctx.close()
    assert states.OUTPUT in states.EVENT_TYPES


def test_ticker_with_output_writes_one_line_per_step(alice):
    job = started_job(alice)
    params = TickerParams(data={"steps": 5, "interval_ms": 0, "output": True})
    assert params.is_valid(), params.errors
    ctx = JobContext(job, min_interval_ms=10_000)
    ticker(ctx, params.validated_data)
    ctx.flush()
    ctx.close()
    assert selectors.job_output(job.pk) == "".join(f"step {i} of 5\n" for i in range(1, 6))
    assert TickerParams(data={"steps": 2}).is_valid() and TickerParams(data={"output": "x"}).is_valid() is False


def test_output_endpoint_serves_text_plain_and_hides_other_users_jobs(alice, bob):
    job = started_job(alice)
    ctx = JobContext(job, min_interval_ms=0)
    ctx.output("héllo\n")
    ctx.output("world\n")
    ctx.close()
    client = APIClient()
    client.force_authenticate(alice)
    answer = client.get(f"/api/jobs/{job.pk}/output/")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/plain")
    assert answer.content.decode() == "héllo\nworld\n"
    assert client.get(f"/api/jobs/{job.pk}/output/", HTTP_ACCEPT="text/plain").status_code == 200
    client.force_authenticate(bob)
    assert client.get(f"/api/jobs/{job.pk}/output/").status_code == 404
    assert client.get(f"/api/jobs/{job.pk}/output/", HTTP_ACCEPT="text/plain").status_code == 404
    assert APIClient().get(f"/api/jobs/{job.pk}/output/").status_code == 401
