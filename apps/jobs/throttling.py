"""DRF's ScopedRateThrottle in one Redis round trip: the same sliding window, kept by a script.

DRF keeps each client's request times as a pickled list in the cache, read and written back
on every throttled request: two round trips and a pickle of up to the whole window's list,
about a tenth of POST /api/jobs/'s CPU (docs/benchmarks.md, "HTTP cost"); the read-then-write
also let two processes both take the last slot. Here a Lua script trims the list, counts it
and records the request atomically. Rates, scopes, idents, 429s and Retry-After are DRF's.
"""
from __future__ import annotations

import redis
from django.conf import settings
from rest_framework.throttling import ScopedRateThrottle

# KEYS[1] the client's list (newest first); ARGV now, duration, allowed requests.
# Returns {1 if allowed, requests in the window before this one, oldest time in it}.
_SLIDING_WINDOW = """
local now, duration, allowed = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
while true do
  local oldest = redis.call('LINDEX', KEYS[1], -1)
  if not oldest or tonumber(oldest) > now - duration then break end
  redis.call('RPOP', KEYS[1])
end
local count = redis.call('LLEN', KEYS[1])
local oldest = redis.call('LINDEX', KEYS[1], -1) or ''
if count >= allowed then return {0, count, oldest} end
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], duration)
return {1, count, oldest}
"""

_script = None


def _sliding_window():
    global _script
    if _script is None:
        client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"], socket_timeout=2,
                                      socket_connect_timeout=2)
        _script = client.register_script(_SLIDING_WINDOW)
    return _script


class RedisScopedRateThrottle(ScopedRateThrottle):
    """ScopedRateThrottle whose history lives in a Redis list updated by one script call."""

    key_prefix = "jobcast:throttle:"

    def allow_request(self, request, view):
        # DRF's scope and rate lookup, unchanged (it then calls the parent's allow_request).
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        allowed, count, oldest = _sliding_window()(keys=[self.key_prefix + key],
                                                   args=[repr(self.now), self.duration, self.num_requests])
        self.window_count, self.window_oldest = int(count), float(oldest) if count else None
        return bool(allowed)

    def wait(self) -> float | None:
        """DRF's Retry-After: the time until the oldest request leaves the window, shared out."""
        remaining = self.duration if self.window_oldest is None else self.duration - (self.now - self.window_oldest)
        available = self.num_requests - self.window_count + 1
        return None if available <= 0 else remaining / float(available)
