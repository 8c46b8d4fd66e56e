"""A raw Server-Sent Events reader for tests: httpx streaming plus the text/event-stream grammar.

No EventSource: the tests read exactly what the server wrote (ids, event names, comments).
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import httpx


@dataclass
class Message:
    """One dispatched SSE message (`comment` messages are the keep-alive lines)."""

    event: str = "message"
    data: str = ""
    id: str | None = None
    comments: list[str] = field(default_factory=list)

    @property
    def json(self) -> dict:
        return json.loads(self.data)


def parse(lines: Iterable[str]) -> Iterator[Message]:
    """The text/event-stream grammar (WHATWG HTML, 9.2.6), enough for what a server sends."""
    current = Message()
    data: list[str] = []
    seen = False
    for line in lines:
        if line == "":
            if seen:
                current.data = "\n".join(data)
                yield current
            current, data, seen = Message(), [], False
            continue
        seen = True
        if line.startswith(":"):
            current.comments.append(line[1:].strip())
            current.event = "comment"
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            data.append(value)
        elif name == "event":
            current.event = value
        elif name == "id":
            current.id = value


@dataclass
class Stream:
    status: int
    headers: httpx.Headers
    messages: list[Message]
    ended: bool  # the server closed the stream (not our timeout or `until`)
    body: str = ""

    @property
    def events(self) -> list[dict]:
        return [m.json for m in self.messages if m.event not in ("snapshot", "comment")]

    @property
    def seqs(self) -> list[int]:
        return [e["seq"] for e in self.events]


def collect(url: str, headers: dict[str, str] | None = None, *, timeout: float = 60,
            until: Callable[[Message], bool] | None = None) -> Stream:
    """Read one stream until the server ends it, `until(message)` holds, or `timeout` passes."""
    messages: list[Message] = []
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=httpx.Timeout(timeout, connect=20)) as client, \
            client.stream("GET", url, headers=headers or {}) as response:
        if response.status_code != 200:
            return Stream(response.status_code, response.headers, [], True, response.read().decode())
        try:
            for message in parse(response.iter_lines()):
                messages.append(message)
                if (until and until(message)) or time.monotonic() > deadline:
                    return Stream(200, response.headers, messages, False)
        except httpx.ReadTimeout:
            return Stream(200, response.headers, messages, False)
        return Stream(200, response.headers, messages, True)
