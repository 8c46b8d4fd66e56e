"""One background asyncio loop per process, for pushing events without blocking the caller.

Why: `async_to_sync(group_send)` per event costs ~2 ms and a new Redis connection each call;
a long-lived loop fed with `call_soon_threadsafe` costs ~0.3 ms (DESIGN.md, measured). The loop
is created lazily and re-created after a fork (checked by pid), because a loop or thread made
before Celery's prefork pool forks is dead in the child and hangs the task.
"""
from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Coroutine
from typing import Any

_lock = threading.Lock()
_state: dict[str, Any] = {"pid": None, "loop": None}


def background_loop() -> asyncio.AbstractEventLoop:
    """The running loop of this process's background thread, started on first use."""
    loop = _state["loop"]
    if _state["pid"] == os.getpid() and loop is not None and not loop.is_closed():
        return loop
    with _lock:
        if _state["pid"] != os.getpid() or _state["loop"] is None or _state["loop"].is_closed():
            loop = asyncio.new_event_loop()
            ready = threading.Event()

            def run() -> None:
                asyncio.set_event_loop(loop)
                loop.call_soon(ready.set)
                loop.run_forever()

            threading.Thread(target=run, name="jobcast-events", daemon=True).start()
            ready.wait()
            _state.update(pid=os.getpid(), loop=loop)
        return _state["loop"]


def submit(coro_factory: Callable[[], Coroutine[Any, Any, Any]]):
    """Run a coroutine on the background loop; returns a concurrent.futures.Future."""
    return asyncio.run_coroutine_threadsafe(coro_factory(), background_loop())


def call_soon(fn: Callable[..., Any], *args: Any) -> None:
    """Schedule a plain callable on the background loop (thread-safe, non-blocking)."""
    background_loop().call_soon_threadsafe(fn, *args)
