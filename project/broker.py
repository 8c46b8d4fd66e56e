"""Celery's Redis transport with one fix: losing the broker while a task is unacknowledged.

With `acks_late` a running job's message is unacknowledged. When Redis goes away, Celery's
consumer first collects the connection (`transport.client = None`) and then closes it; closing
the channel restores unacked messages, which builds a Redis client from `transport.client` and
raises AttributeError. That is not a connection error, so Celery treats it as unrecoverable and
the worker stops consuming for good (kombu/celery 5.7.0; see docs/reliability.md, bug 1).

Raising a connection error instead lets kombu do what it does for any lost connection: the close
is ignored, the running job's late ack is logged as failed and its message stays in the unacked
index, from where the visibility timeout redelivers it (the job is already finished by then, so
the redelivery is a no-op), and the consumer reconnects.
"""
from __future__ import annotations

from typing import Any

from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError


class Channel(kombu_redis.Channel):
    def _connparams(self, asynchronous: bool = False) -> dict[str, Any]:
        if self.connection.client is None:
            raise RedisConnectionError("the broker connection was released after a connection loss")
        return super()._connparams(asynchronous=asynchronous)


class Transport(kombu_redis.Transport):
    Channel = Channel
