"""Token authentication with a short per-process cache of token key -> user.

DRF's TokenAuthentication costs an ORM query (mostly its SQL compilation) per request, about a
quarter of the CPU of GET /api/jobs/<id>/ (docs/benchmarks.md, "HTTP cost"). Here a valid token
is looked up once and remembered for JOBS_TOKEN_CACHE_SECONDS (0 turns the cache off).

Staleness is bounded: in this process any Token or User save or delete empties the cache at
once; another process (a second daphne) may accept a deleted token, or a user deactivated
there, for at most JOBS_TOKEN_CACHE_SECONDS. Unknown keys and inactive users are never cached,
so they cost the query and fail with DRF's own errors ("Invalid token.", 401).
"""
from __future__ import annotations

import copy
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

# key -> (monotonic expiry, user, token); cleared whole rather than pruned (it is tiny).
_cache: dict[str, tuple[float, object, Token]] = {}
_MAX_ENTRIES = 10_000


def clear_token_cache(**_signal_kwargs) -> None:
    """Forget every cached token (a Token or User changed in this process)."""
    _cache.clear()


post_save.connect(clear_token_cache, sender=Token, dispatch_uid="jobs-token-cache-token-save")
post_delete.connect(clear_token_cache, sender=Token, dispatch_uid="jobs-token-cache-token-delete")
post_save.connect(clear_token_cache, sender=get_user_model(), dispatch_uid="jobs-token-cache-user-save")
post_delete.connect(clear_token_cache, sender=get_user_model(), dispatch_uid="jobs-token-cache-user-delete")


class CachedTokenAuthentication(TokenAuthentication):
    """DRF's TokenAuthentication (same header parsing, same errors) with valid keys cached briefly."""

    def authenticate_credentials(self, key):
        ttl = settings.JOBS_TOKEN_CACHE_SECONDS
        now = time.monotonic()
        hit = _cache.get(key)
        if hit is not None and hit[0] > now:
            # A copy, so nothing a view sets on request.user outlives the request.
            return copy.copy(hit[1]), hit[2]
        user, token = super().authenticate_credentials(key)
        if ttl > 0:
            if len(_cache) >= _MAX_ENTRIES:
                _cache.clear()
            _cache[key] = (now + ttl, user, token)
            user = copy.copy(user)
        return user, token
