"""One live stack shared by tests/security and tests/fuzz (a stack costs ~15 s to start).

Its secret is long and recognisable, so tests can prove it never leaks into a response or a log.
"""
from __future__ import annotations

import secrets

from livestack.stack import LiveStack

SECRET_KEY = "hostile-" + secrets.token_urlsafe(48)
_shared: dict[str, object] = {"stack": None, "users": 0}


def acquire() -> LiveStack:
    """The shared stack, started on first use."""
    if _shared["stack"] is None:
        _shared["stack"] = LiveStack(workers=1, daphnes=1, concurrency=2,
                                     env={"DJANGO_SECRET_KEY": SECRET_KEY}).start()
    _shared["users"] = int(_shared["users"]) + 1
    return _shared["stack"]  # type: ignore[return-value]


def release() -> None:
    """Stop the stack when its last user (security or fuzz session fixture) is done."""
    _shared["users"] = int(_shared["users"]) - 1
    if _shared["users"] == 0 and _shared["stack"] is not None:
        _shared["stack"].stop()  # type: ignore[union-attr]
        _shared["stack"] = None
