"""Channels: the layer that carries job events to every daphne process."""
from __future__ import annotations

from project.environment import env
from project.settings.base import REDIS_URL

CHANNEL_LAYER_URL = env.str("CHANNEL_LAYER_URL", REDIS_URL)
# One PUBLISH per event and no shared capacity-capped list: the default RedisChannelLayer drops
# events past 100 queued per daphne process and tops out near 1,000/s (docs/architecture.md, measured).
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [CHANNEL_LAYER_URL]},
    }
}
