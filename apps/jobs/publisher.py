"""How a stored event travels: one background loop per process pushes it to the channel layer.

`events.record` stores an event and, after the commit, hands `publish()` the groups and the
channel-layer message. Everything here is transport:

- The project's layer (Redis pub/sub on one plain-TCP or unix-socket host): the PUBLISHes are
  written from the calling thread on one connection per process (`redis_push.RedisWriter`),
  replies counted as they come; a broken connection hands its unanswered writes to a recovery
  thread. A background loop per event cost as much worker CPU as storing it (docs/benchmarks.md).
- Any other layer (several hosts, sentinel, TLS, not Redis): one asyncio loop per process, in a daemon thread, started on the first publish. Why:
  `async_to_sync(group_send)` per event costs ~2 ms and a new Redis connection each call; a
  long-lived loop fed with `call_soon_threadsafe` costs ~0.3 ms (docs/architecture.md).
- One drain coroutine sends queued events in order (concurrent `group_send` calls could
  overtake each other, and consumers treat seq order as meaningful), each time everything
  queued so far in one pipelined Redis write.
- After a fork (Celery's prefork pool) the child starts with none of this: a loop or thread
  inherited from the parent is dead there and would hang the task (`os.register_at_fork`).

A push that fails after retries is logged and counted (`jobcast_event_push_failures_total`);
the stored log still has the event and clients recover with `after=<seq>`.
"""
from __future__ import annotations

import asyncio
import logging
import os
import threading
from typing import Any

from channels.layers import DEFAULT_CHANNEL_LAYER, channel_layers
from channels_redis.pubsub import RedisPubSubChannelLayer
from channels_redis.utils import create_pool, decode_hosts
from django.conf import settings
from redis import ConnectionPool
from redis import asyncio as aioredis

from apps.jobs import metrics
from apps.jobs.redis_push import RedisWriter, pack_publishes

logger = logging.getLogger(__name__)

Message = tuple[tuple[str, ...], dict[str, Any]]  # (groups, channel-layer message)

_PUBLISH_RETRIES = 3
_BATCH_MAX = 200  # messages per pipelined write; bounds the burst one failure can cost
_SEND_TIMEOUT_S = 5


class _Process:
    """This process's loop, queue and layer; replaced wholesale in a forked child."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.queue: asyncio.Queue[Message] | None = None
        self.direct: _Direct | None | bool = False  # False: not decided yet; None: use the loop


_process = _Process()


def _reset_after_fork() -> None:
    global _process
    _process = _Process()


os.register_at_fork(after_in_child=_reset_after_fork)


def publish(groups: tuple[str, ...], message: dict[str, Any]) -> None:
    """Queue a message for `groups`; returns at once and never raises into the caller.

    On the project's layer the PUBLISHes are written now, from this thread (one `sendall`);
    otherwise the first call starts the loop thread and later calls schedule a `put_nowait` on it.
    """
    direct = _direct()
    if direct is not None:
        direct.send(groups, message)
        return
    loop, queue = _started()
    loop.call_soon_threadsafe(queue.put_nowait, (groups, message))


def flush(timeout: float = 5.0) -> bool:
    """Wait until this process's pushes went out (end of a task, before recycling)."""
    process = _process
    if process.direct:
        return process.direct.writer.flush(timeout)
    if process.loop is None or process.queue is None:
        return True
    try:
        asyncio.run_coroutine_threadsafe(
            asyncio.wait_for(process.queue.join(), timeout), process.loop
        ).result(timeout + 1)
        return True
    except Exception:  # a timeout here only means pushes are slow; they keep going
        logger.warning("event pushes still queued after %.1fs", timeout)
        return False


class _Direct:
    """The channel names and encoding of the layer daphne listens on, and this process's writer."""

    def __init__(self, layer: RedisPubSubChannelLayer, host: dict[str, Any], prefix: str) -> None:
        self.layer, self.prefix = layer, prefix
        options = {"socket_connect_timeout": 2, **{k: v for k, v in host.items() if k != "address"}}
        pool = ConnectionPool.from_url(host["address"], **options)
        owners: list = []  # the redis-py connection owning the socket: closing it closes the socket

        def connect():
            connection = pool.make_connection()
            connection.connect()
            owners[:] = [connection]
            return connection._sock

        self.writer = RedisWriter(connect, on_dropped=metrics.PUSH_FAILURES.inc)

    def send(self, groups: tuple[str, ...], message: dict[str, Any]) -> None:
        try:
            data, replies = pack_publishes((group_channel_name(self.prefix, g) for g in groups),
                                           self.layer.serialize(message))
        except Exception:  # an unencodable message must not break the caller; the log has it
            metrics.PUSH_FAILURES.inc()
            logger.exception("could not encode an event push for %s", groups)
            return
        self.writer.send(data, replies)


def _direct() -> _Direct | None:
    """This process's direct writer, or None when the layer is not one Redis host over TCP or unix."""
    process = _process
    if process.direct is False:
        with process.lock:
            if process.direct is False:
                process.direct = _make_direct()
    return process.direct


def _make_direct() -> _Direct | None:
    config = settings.CHANNEL_LAYERS[DEFAULT_CHANNEL_LAYER].get("CONFIG", {})
    hosts = decode_hosts(config.get("hosts"))
    layer = channel_layers.make_backend(DEFAULT_CHANNEL_LAYER)
    if (not isinstance(layer, RedisPubSubChannelLayer) or len(hosts) != 1 or "address" not in hosts[0]
            or not str(hosts[0]["address"]).startswith(("redis://", "unix://"))):
        return None
    return _Direct(layer, hosts[0], config.get("prefix", "asgi"))


def _started() -> tuple[asyncio.AbstractEventLoop, asyncio.Queue[Message]]:
    process = _process
    if process.loop is not None and process.queue is not None:
        return process.loop, process.queue
    with process.lock:
        if process.loop is None:
            # A fresh layer per process: one inherited across fork holds the parent's sockets.
            layer = channel_layers.make_backend(DEFAULT_CHANNEL_LAYER)
            queue: asyncio.Queue[Message] = asyncio.Queue()
            loop = asyncio.new_event_loop()
            ready = threading.Event()

            def run() -> None:
                asyncio.set_event_loop(loop)
                loop.create_task(_drain(queue, layer))
                loop.call_soon(ready.set)
                loop.run_forever()

            threading.Thread(target=run, name="jobcast-events", daemon=True).start()
            ready.wait()
            process.queue, process.loop = queue, loop
    return process.loop, process.queue


async def _drain(queue: asyncio.Queue[Message], layer) -> None:
    """Send queued messages in order: each time, everything queued so far in one write."""
    send = _pipelined_sender(layer) or _sender_per_group(layer)
    while True:
        batch = [await queue.get()]
        while len(batch) < _BATCH_MAX and not queue.empty():
            batch.append(queue.get_nowait())
        for attempt in range(_PUBLISH_RETRIES):
            try:
                async with asyncio.timeout(_SEND_TIMEOUT_S):
                    await send(batch)
                break
            except Exception as exc:  # Redis down or slow: the stored log still has them.
                if attempt == _PUBLISH_RETRIES - 1:
                    metrics.PUSH_FAILURES.inc(len(batch))
                    logger.warning("push of %d event(s) failed (%s); clients recover by after=seq",
                                   len(batch), exc)
                else:
                    await asyncio.sleep(0.05 * (attempt + 1))
        for _ in batch:
            queue.task_done()


def _sender_per_group(layer):
    """Any channel layer: one `group_send` per group and message."""
    async def send(messages: list[Message]) -> None:
        for groups, message in messages:
            for group in groups:
                await layer.group_send(group, message)
    return send


def _pipelined_sender(layer):
    """The project's layer (Redis pub/sub, one host): all PUBLISHes of a batch in one round trip.

    `group_send` sends each PUBLISH alone and waits for its reply; with three groups per event
    that was most of the worker's time spent pushing (docs/benchmarks.md). The channel names
    and the encoding are the layer's own (`group_channel_name`, `layer.serialize`).
    """
    config = settings.CHANNEL_LAYERS[DEFAULT_CHANNEL_LAYER].get("CONFIG", {})
    hosts = decode_hosts(config.get("hosts"))
    if not isinstance(layer, RedisPubSubChannelLayer) or len(hosts) != 1:
        return None
    client = aioredis.Redis(connection_pool=create_pool(hosts[0]))
    prefix = config.get("prefix", "asgi")

    async def send(messages: list[Message]) -> None:
        pipe = client.pipeline(transaction=False)
        for groups, message in messages:
            data = layer.serialize(message)
            for group in groups:
                pipe.publish(group_channel_name(prefix, group), data)
        await pipe.execute()
    return send


def group_channel_name(prefix: str, group: str) -> str:
    """The Redis channel of a group in channels_redis's pub/sub layer (a test pins it to theirs)."""
    return f"{prefix}__group__{group}"
