"""Settings of apps.ops (operations: metrics and logs), from the environment."""
from __future__ import annotations

from project.env import env_list, env_str

# Who may read /metrics: clients from these addresses, or anyone sending
# `Authorization: Bearer <OPS_METRICS_TOKEN>` when a token is set. Behind a proxy the
# address is the proxy's: the nginx site in deploy/ refuses /metrics from outside.
METRICS_ALLOWED_IPS = env_list("OPS_METRICS_ALLOWED_IPS", "127.0.0.1,::1")
METRICS_TOKEN = env_str("OPS_METRICS_TOKEN", "")

# Log lines: "plain" (the project's format plus job id/kind/task id) or "json" (one object a line).
LOG_FORMAT = env_str("OPS_LOG_FORMAT", "plain")
