"""What depends on the broker's kind: priority numbers, queue declarations, the broker's health."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from apps.jobs.dispatch import celery_priority
from apps.jobs.health import _broker
from livestack.redis_server import free_port

ROOT = Path(__file__).resolve().parents[2]
AMQP = "amqp://guest:guest@127.0.0.1:5672//"


def test_priority_9_is_served_first_on_either_broker():
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/0"):
        assert [celery_priority(p) for p in (9, 5, 0, 12, -1)] == [0, 4, 9, 0, 9]  # Redis serves 0 first
    with override_settings(CELERY_BROKER_URL=AMQP):
        assert [celery_priority(p) for p in (9, 5, 0, 12, -1)] == [9, 5, 0, 9, 0]  # RabbitMQ serves 9 first


def _declared_queues(broker_url: str) -> dict[str, dict]:
    """The queues a process with this broker would declare, with their arguments."""
    script = ("import django, json; django.setup(); from project.celery import app; "
              "print(json.dumps({q.name: q.queue_arguments or {} for q in app.amqp.queues.values()}))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "project.settings", "CELERY_BROKER_URL": broker_url}
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def test_rabbitmq_queues_are_declared_with_ten_priorities_and_redis_lists_are_not():
    on_rabbitmq = _declared_queues(AMQP)
    assert {"jobs", "maintenance", "ocr", "media.video"} <= set(on_rabbitmq)
    assert {args.get("x-max-priority") for args in on_rabbitmq.values()} == {9}
    assert all("x-max-priority" not in args for args in _declared_queues("redis://127.0.0.1:1/0").values())


@pytest.mark.parametrize("scheme", ["amqp", "redis"])
def test_health_names_a_broker_that_does_not_answer(scheme):
    url = f"{scheme}://127.0.0.1:{free_port()}/" + ("" if scheme == "amqp" else "0")
    report = _broker(url)
    assert report.startswith("error:") and report != "error: "
