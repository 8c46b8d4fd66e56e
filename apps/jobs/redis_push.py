"""PUBLISH straight from the thread that stored the event: one socket per process, no event loop.

Why: with events coming one at a time (the common case), the background asyncio loop cost as
much worker CPU as storing the event: a self-pipe wake-up, a loop iteration and redis-py's
asyncio pipeline per event (a pyinstrument profile of a ticker attempt: publishing was half of
the 1.6 ms of CPU per event). Here a publish is one `sendall` of PUBLISH commands encoded once
(≈20 µs) on a socket that redis-py opened (so AUTH, the URL's options and unix sockets behave as
redis-py's); replies are counted as they arrive, without waiting for them.

Kept: order (one lock; a batch goes out whole, in the order `send` was called), never raising
into the caller, bounded retries. Every write stays in `_unacked` until Redis has answered each
of its PUBLISHes; when the connection breaks (or answers nothing for `SEND_TIMEOUT_S`), what
Redis had not answered, and whatever is sent meanwhile, goes to a recovery thread that
reconnects and sends it again (a repeated PUBLISH is dropped by the consumers' seq cursor). A
batch that still fails after `RETRIES` attempts is counted and logged, as before: the stored log
has it and clients recover with `after=<seq>`.
"""
from __future__ import annotations

import logging
import select
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable

logger = logging.getLogger(__name__)

RETRIES = 3
SEND_TIMEOUT_S = 5.0


def pack_publishes(channels: Iterable[str], data: bytes) -> tuple[bytes, int]:
    """The RESP encoding of `PUBLISH channel data` for each channel, and how many replies to expect."""
    tail = b"$%d\r\n%s\r\n" % (len(data), data)
    parts = [b"*3\r\n$7\r\nPUBLISH\r\n$%d\r\n%s\r\n%s" % (len(name), name, tail)
             for name in (channel.encode() for channel in channels)]
    return b"".join(parts), len(parts)


class _Write:
    __slots__ = ("data", "replies", "sent_at")

    def __init__(self, data: bytes, replies: int) -> None:
        self.data, self.replies, self.sent_at = data, replies, time.monotonic()


class RedisWriter:
    """This process's publishing connection. `connect()` returns a connected, authenticated
    socket (and keeps whatever owns it alive); `on_dropped(n)` counts writes given up on."""

    def __init__(self, connect: Callable[[], socket.socket], on_dropped: Callable[[int], None]) -> None:
        self._connect = connect
        self._on_dropped = on_dropped
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)  # notified when the recovery backlog empties
        self._sock: socket.socket | None = None
        self._unacked: deque[_Write] = deque()  # written, not yet answered in full, in order
        self._lines = 0  # replies read beyond those of writes already popped from _unacked
        self._backlog: list[_Write] | None = None  # not None while the recovery thread owns sending

    def send(self, data: bytes, replies: int) -> None:
        """Write now (from the caller's thread); on any failure hand it to the recovery thread."""
        write = _Write(data, replies)
        with self._lock:
            if self._backlog is not None:
                self._backlog.append(write)
                return
            self._unacked.append(write)  # before sendall: a half-sent write is sent again
            try:
                if self._sock is None:
                    self._sock = _prepared(self._connect())
                self._read_replies(wait=False)
                self._sock.sendall(data)
            except Exception as exc:  # OSError, redis-py's ConnectionError, a silent server
                self._break(exc)

    def flush(self, timeout: float) -> bool:
        """Wait until Redis answered every write so far (or the recovery thread sent them)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._backlog is None and self._unacked:
                try:
                    self._read_replies(wait=True, deadline=deadline)
                except TimeoutError:
                    return False
                except Exception as exc:
                    self._break(exc)
            while self._backlog is not None:
                if not self._idle.wait(max(0.0, deadline - time.monotonic())):
                    return False
        return True

    # --- with the lock held ---------------------------------------------------------------

    def _read_replies(self, *, wait: bool, deadline: float = 0.0) -> None:
        """Count the replies that arrived (each PUBLISH gets one line: `:<subscribers>`)."""
        sock = self._sock
        while self._unacked:
            if wait and not _readable(sock, deadline - time.monotonic()):
                raise TimeoutError("Redis did not answer in time")
            try:
                chunk = sock.recv(65536, socket.MSG_DONTWAIT)
            except BlockingIOError:
                if time.monotonic() - self._unacked[0].sent_at > SEND_TIMEOUT_S:
                    raise TimeoutError("Redis did not answer a PUBLISH") from None
                if wait:
                    continue
                return
            if not chunk:
                raise ConnectionError("Redis closed the connection")
            if b"-" in chunk:
                logger.warning("Redis refused a PUBLISH: %r", chunk[:200])
            self._lines += chunk.count(b"\n")
            while self._unacked and self._lines >= self._unacked[0].replies:
                self._lines -= self._unacked.popleft().replies
            if wait:
                return

    def _break(self, exc: Exception) -> None:
        """The connection is gone: unanswered writes (and all later ones) go to recovery."""
        logger.warning("event push connection failed (%s); reconnecting", exc)
        self._close()
        self._backlog = list(self._unacked)
        self._unacked.clear()
        self._lines = 0
        threading.Thread(target=self._recover, name="jobcast-push-recovery", daemon=True).start()

    def _close(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
        self._sock = None

    # --- the recovery thread ----------------------------------------------------------------

    def _recover(self) -> None:
        """Send the backlog in order on a new connection; give the inline path back once it is empty."""
        while True:
            with self._lock:
                batch, self._backlog = self._backlog, []
                if not batch:
                    self._backlog = None
                    self._idle.notify_all()
                    return
            sock = self._send_with_retries(batch)
            with self._lock:
                if sock is not None and not self._backlog:
                    self._sock, self._backlog = sock, None
                    self._idle.notify_all()
                    return
            if sock is not None:
                sock.close()

    def _send_with_retries(self, batch: list[_Write]) -> socket.socket | None:
        expected = sum(w.replies for w in batch)
        for attempt in range(RETRIES):
            sock = None
            try:
                sock = _prepared(self._connect())
                sock.sendall(b"".join(w.data for w in batch))
                lines, deadline = 0, time.monotonic() + SEND_TIMEOUT_S
                while lines < expected:
                    if not _readable(sock, deadline - time.monotonic()):
                        raise TimeoutError("Redis did not answer in time")
                    chunk = sock.recv(65536)
                    if not chunk:
                        raise ConnectionError("Redis closed the connection")
                    lines += chunk.count(b"\n")
                return sock
            except Exception as exc:
                if sock is not None:
                    sock.close()
                if attempt == RETRIES - 1:
                    self._on_dropped(len(batch))
                    logger.warning("push of %d write(s) failed (%s); clients recover by after=seq", len(batch), exc)
                else:
                    time.sleep(0.05 * (attempt + 1))
        return None


def _prepared(sock: socket.socket) -> socket.socket:
    """Blocking mode (so a non-blocking `recv` really does not wait: CPython polls first on a
    socket with a timeout), with a kernel send timeout so a stalled Redis cannot hang a caller."""
    sock.settimeout(None)
    seconds = int(SEND_TIMEOUT_S)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO,
                    struct.pack("ll", seconds, int((SEND_TIMEOUT_S - seconds) * 1e6)))
    return sock


def _readable(sock: socket.socket, timeout: float) -> bool:
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(max(0.0, timeout) * 1000))
