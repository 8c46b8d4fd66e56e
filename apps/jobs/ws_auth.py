"""WebSocket gatekeeping: origin check, then session-or-token authentication.

- An upgrade with an `Origin` header must come from an allowed host (cross-site WebSocket
  hijacking); channels' AllowedHostsOriginValidator does that check.
- An upgrade without `Origin` is not a browser: it is let through only with an
  `Authorization: Token …` header, never on a session cookie alone. (The stock validator
  refuses every Origin-less upgrade, hence this wrapper.)
- Tokens travel in the header, never in the URL (URLs end up in logs).
"""
from __future__ import annotations

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.security.websocket import AllowedHostsOriginValidator, WebsocketDenier
from django.contrib.auth.models import AnonymousUser


def _header(scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value
    return None


def _token_from_scope(scope) -> str | None:
    raw = _header(scope, b"authorization")
    if not raw:
        return None
    try:
        keyword, _, key = raw.decode("latin1").strip().partition(" ")
    except UnicodeDecodeError:
        return None
    return key.strip() if keyword.lower() == "token" and key.strip() else None


class OriginOrTokenValidator:
    """Allowed-host Origin, or no Origin with a token header; anything else is refused (403)."""

    def __init__(self, application) -> None:
        self.application = application
        self.with_origin = AllowedHostsOriginValidator(application)

    async def __call__(self, scope, receive, send):
        if _header(scope, b"origin") is not None:
            return await self.with_origin(scope, receive, send)
        if _token_from_scope(scope):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)


@database_sync_to_async
def _user_for_token(key: str):
    from rest_framework.authtoken.models import Token

    token = Token.objects.select_related("user").filter(key=key).first()
    if token is None or not token.user.is_active:
        return AnonymousUser()
    return token.user


class TokenAuthMiddleware:
    """Puts the token's user in scope["user"] when an `Authorization: Token` header is present."""

    def __init__(self, application) -> None:
        self.application = application

    async def __call__(self, scope, receive, send):
        key = _token_from_scope(scope)
        if key is not None:
            scope = dict(scope, user=await _user_for_token(key))
        return await self.application(scope, receive, send)


def SessionOrTokenAuthMiddleware(application):  # noqa: N802 - reads like the stacks channels ships
    """Session cookie authentication, overridden by a token header when one is sent."""
    return AuthMiddlewareStack(TokenAuthMiddleware(application))
