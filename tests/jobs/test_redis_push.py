"""The direct PUBLISH writer against a real redis-server: order, a broken connection, Redis away."""
import socket
import threading
import time
from urllib.parse import urlparse

import redis

from apps.jobs.redis_push import RedisWriter, pack_publishes


def _subscriber(url: str, channel: str):
    client = redis.Redis.from_url(url)
    pubsub = client.pubsub()
    pubsub.subscribe(channel)
    assert pubsub.get_message(timeout=5)["type"] == "subscribe"
    pubsub.owner = client  # a collected client closes its pool, and the subscription with it
    return pubsub


def _received(pubsub, n: int, timeout: float = 20) -> list[bytes]:
    got, deadline = [], time.monotonic() + timeout
    while len(got) < n and time.monotonic() < deadline:
        message = pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
        if message:
            got.append(message["data"])
    return got


def _connector(url: str, opened: list[socket.socket]):
    parsed = urlparse(url)

    def connect() -> socket.socket:
        sock = socket.create_connection((parsed.hostname, parsed.port), timeout=2)
        opened.append(sock)
        return sock
    return connect


def test_pack_publishes_is_the_resp_encoding_of_each_publish(test_redis):
    data, replies = pack_publishes(["a", "bc"], b"x\r\ny")
    assert replies == 2
    assert data == b"*3\r\n$7\r\nPUBLISH\r\n$1\r\na\r\n$4\r\nx\r\ny\r\n*3\r\n$7\r\nPUBLISH\r\n$2\r\nbc\r\n$4\r\nx\r\ny\r\n"


def test_writes_arrive_in_order_and_flush_waits_for_every_reply(test_redis):
    pubsub = _subscriber(test_redis, "push.order")
    writer = RedisWriter(_connector(test_redis, []), on_dropped=lambda n: None)
    for i in range(500):
        writer.send(*pack_publishes(["push.order"], b"%d" % i))
    assert writer.flush(10)
    assert _received(pubsub, 500) == [b"%d" % i for i in range(500)]


def test_a_broken_connection_loses_nothing_and_keeps_the_order(test_redis):
    """Writes Redis had not answered when the socket died are sent again on a new connection,
    in order, and so is everything sent meanwhile (repeats are allowed: consumers drop them)."""
    pubsub = _subscriber(test_redis, "push.broken")
    opened: list[socket.socket] = []
    dropped = []
    writer = RedisWriter(_connector(test_redis, opened), on_dropped=dropped.append)
    for i in range(100):
        writer.send(*pack_publishes(["push.broken"], b"%d" % i))
    opened[0].shutdown(socket.SHUT_RDWR)  # the connection dies under the writer
    for i in range(100, 200):
        writer.send(*pack_publishes(["push.broken"], b"%d" % i))
    assert writer.flush(20)
    got = [int(x) for x in _received(pubsub, 200, timeout=5)]
    got += [int(x) for x in _received(pubsub, 10_000, timeout=2)]  # any repeats
    assert len(opened) >= 2 and not dropped
    seen, last = set(), -1
    for value in got:  # what a seq cursor would keep: increasing, complete
        if value > last:
            assert value == last + 1, got
            last = value
        seen.add(value)
    assert seen == set(range(200))


def test_redis_away_never_raises_into_the_caller_and_counts_what_was_given_up(test_redis):
    def refuse() -> socket.socket:
        raise ConnectionRefusedError("nobody there")

    dropped: list[int] = []
    writer = RedisWriter(refuse, on_dropped=dropped.append)
    started = time.monotonic()
    for i in range(5):
        writer.send(*pack_publishes(["push.away"], b"%d" % i))
    assert time.monotonic() - started < 1  # the caller never waits for the retries
    deadline = time.monotonic() + 10
    while sum(dropped) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sum(dropped) == 5
    assert writer.flush(5)
    assert not [t for t in threading.enumerate() if t.name == "jobcast-push-recovery"]
