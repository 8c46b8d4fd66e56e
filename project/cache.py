"""Django's Redis cache with one connection pool per process instead of one per request.

Under ASGI, Django builds a cache object per request context, and each RedisCache builds its
own client and pool: every throttled request opened a Redis connection that only garbage
collection closed (found by tests/chaos/test_soak.py counting Redis clients).
"""
from __future__ import annotations

import os
import threading
from functools import cached_property

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_clients: dict[tuple, object] = {}
_lock = threading.Lock()


class ClientPerPool(RedisCacheClient):
    """Django builds a redis.Redis (with its ~170 response callbacks) per cache operation, a third
    of a throttled POST's cache cost; one thread-safe client per connection pool is enough."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients_by_pool", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedPoolRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ClientPerPool

    @cached_property
    def _cache(self):
        key = (os.getpid(), tuple(self._servers), tuple(sorted(self._options.items())))
        with _lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = self._class(self._servers, **self._options)
        return client
