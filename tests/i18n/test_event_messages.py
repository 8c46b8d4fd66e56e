"""Stored events stay language-neutral: English message, msgid and params in data["i18n"] (issue 17)."""
from __future__ import annotations

import json

import pytest
from django.utils import translation

from apps.jobs import events, states
from apps.jobs.context import JobContext
from apps.jobs.kinds import ticker
from apps.jobs.messages import event_message
from apps.jobs.models import Event, Job
from frontend.catalog import JobcastCatalog

pytestmark = pytest.mark.django_db


def started_job(owner) -> Job:
    job = Job.objects.create(owner=owner, kind="jobs.ticker", params={})
    events.record(job.pk, states.PENDING)
    events.record(job.pk, states.STARTED)
    return Job.objects.get(pk=job.pk)


def test_an_event_message_is_its_english_text_whatever_language_is_active():
    with translation.override("zh-hans"):
        message = event_message("step %(i)s of %(n)s", i=3, n=10)
    assert message == "step 3 of 10" and message.i18n == {"msgid": "step %(i)s of %(n)s", "params": {"i": 3, "n": 10}}


def test_the_ticker_stores_english_messages_with_their_translation_keys(alice):
    job = started_job(alice)
    ctx = JobContext(job, min_interval_ms=0)
    with translation.override("zh-hans"):  # the worker's language must not leak into stored events
        ticker(ctx, {"steps": 2, "interval_ms": 0, "fail_at": None, "mode": "sync"})
    stage, *progress = Event.objects.filter(job=job, event__in=["stage", "progress"]).order_by("seq")
    assert (stage.stage, stage.message) == ("ticking", "2 steps")
    assert stage.data == {"i18n": {"msgid": "%(steps)s steps", "params": {"steps": 2}}}
    assert [p.message for p in progress] == ["step 1 of 2", "step 2 of 2"]
    assert progress[-1].data["i18n"] == {"msgid": "step %(i)s of %(n)s", "params": {"i": 2, "n": 2}}
    assert progress[-1].data["current"] == 2 and progress[-1].data["total"] == 2  # the kind's own data stays


def test_the_same_stored_event_renders_in_each_viewers_language(alice, rf):
    job = started_job(alice)
    JobContext(job, min_interval_ms=0).progress(1, 4, message=event_message("step %(i)s of %(n)s", i=1, n=4))
    i18n = Event.objects.filter(job=job, event="progress").get().data["i18n"]

    def catalog(language: str) -> dict:
        with translation.override(language):
            view = JobcastCatalog()
            view.get(rf.get("/jsi18n/"))
            return view.get_catalog()

    chinese = catalog("zh-hans").get(i18n["msgid"], i18n["msgid"]) % i18n["params"]
    english = catalog("en").get(i18n["msgid"], i18n["msgid"]) % i18n["params"]
    assert (chinese, english) == ("第 1 步，共 4 步", "step 1 of 4")


def test_a_plain_string_message_adds_nothing_to_data(alice):
    job = started_job(alice)
    JobContext(job, min_interval_ms=0).log("plain line", row=1)
    assert Event.objects.filter(job=job, event="log").get().data == {"row": 1}
    assert json.dumps(event_message("x %(a)s", a=object()).i18n)  # params are made JSON-safe
