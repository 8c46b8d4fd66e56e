"""Health of the parts a job needs: database, broker, channel layer, live workers."""
from __future__ import annotations

import redis
from django.conf import settings
from django.db import connection
from kombu import Connection

from apps.jobs.queues import broker_is_amqp


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:
        return f"error: {exc}"


def _redis_ping(url: str) -> str:
    try:
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        try:
            client.ping()
        finally:
            client.close()
        return "ok"
    except Exception as exc:
        return f"error: {exc}"


def _amqp_connect(url: str) -> str:
    """Open (and close) one AMQP connection: RabbitMQ answers and accepts our credentials and vhost."""
    try:
        with Connection(url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)
        return "ok"
    except Exception as exc:
        return f"error: {exc}"


def _broker(url: str) -> str:
    if url.startswith(("redis://", "rediss://")):
        return _redis_ping(url)
    if broker_is_amqp(url):
        return _amqp_connect(url)
    return "ok"


def _workers() -> str:
    from project.celery import app

    try:
        replies = app.control.ping(timeout=1.0)
    except Exception as exc:
        return f"error: {exc}"
    return "ok" if replies else "error: no worker answered a ping within 1s"


def health_report() -> dict[str, str]:
    """Each part is "ok" or an error string. With CELERY_ENABLED=false jobs run inline."""
    report = {"database": _database()}
    if settings.CELERY_ENABLED:
        report["broker"] = _broker(settings.CELERY_BROKER_URL or "")
    else:
        report["broker"] = "ok"
    layer_host = settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]
    report["channel_layer"] = _redis_ping(layer_host if isinstance(layer_host, str) else layer_host["address"])
    if settings.CELERY_ENABLED:
        report["workers"] = _workers() if report["broker"] == "ok" else "error: broker unreachable"
    else:
        report["workers"] = "ok"
    return report
