"""`/metrics`: who may read it, what it counts, and queue lengths across Redis priority lists."""
from __future__ import annotations

import os

import pytest
import redis
from django.test import Client, override_settings

from apps.jobs import services
from apps.ops.exposition import metrics_allowed, queue_lengths


def test_loopback_networks_and_the_token_are_allowed(settings):
    assert metrics_allowed(remote_addr="127.0.0.1", authorization=None)
    assert metrics_allowed(remote_addr="::1", authorization=None)
    assert not metrics_allowed(remote_addr="10.1.2.3", authorization=None)
    assert not metrics_allowed(remote_addr=None, authorization=None)
    settings.OPS_METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    assert metrics_allowed(remote_addr="10.1.2.3", authorization=None)
    settings.OPS_METRICS_TOKEN = "s3cret"
    assert metrics_allowed(remote_addr="192.0.2.1", authorization="Bearer s3cret")
    assert not metrics_allowed(remote_addr="192.0.2.1", authorization="Bearer nope")


@pytest.mark.django_db(transaction=True)
def test_metrics_view_counts_created_jobs_and_refuses_strangers(alice):
    services.job_create(owner=alice, kind="jobs.ticker", params={"steps": 1, "interval_ms": 0, "fail_at": None})
    body = Client().get("/metrics").content.decode()
    assert 'jobcast_jobs_created_total{kind="jobs.ticker"}' in body
    assert 'jobcast_jobs{kind="jobs.ticker",status="pending"} 1.0' in body
    assert 'jobcast_queue_length{queue="jobs"}' in body
    refused = Client(REMOTE_ADDR="203.0.113.9").get("/metrics")
    assert refused.status_code == 403 and "OPS_METRICS_ALLOWED_IPS" in refused.json()["detail"]


def test_queue_lengths_add_up_every_priority_list():
    url = os.environ["JOBCAST_TEST_REDIS_URL"].rsplit("/", 1)[0] + "/9"
    client = redis.Redis.from_url(url)
    client.delete(*[f"email{s}" for s in ("", ":1", ":5", ":9")])
    client.lpush("email", "a")
    client.lpush("email:5", "b", "c")
    client.lpush("email:9", "d")
    with override_settings(CELERY_BROKER_URL=url):
        assert queue_lengths(["email", "files"]) == {"email": 4, "files": 0}
    client.flushdb()
