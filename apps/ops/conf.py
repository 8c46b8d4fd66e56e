"""Settings of apps.ops (operations: metrics, celery-progress compatibility, logs), from the environment."""
from __future__ import annotations

from project.environment import env

# Who may read /metrics: clients from these addresses, or anyone sending
# `Authorization: Bearer <OPS_METRICS_TOKEN>` when a token is set. Behind a proxy the
# address is the proxy's: the nginx site in deploy/ refuses /metrics from outside.
METRICS_ALLOWED_IPS = env.list("OPS_METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
METRICS_TOKEN = env.str("OPS_METRICS_TOKEN", "")

# celery-progress tasks become jobs owned by: the user id in the message header
# `jobcast_owner_id`, else the task kwarg named here, else this service user (staff see them).
PROGRESS_OWNER_KWARG = env.str("OPS_PROGRESS_OWNER_KWARG", "user_id")
PROGRESS_SERVICE_USER = env.str("OPS_PROGRESS_SERVICE_USER", "celery-progress")

# Log lines: "plain" (the project's format plus job id/kind/task id) or "json" (one object a line).
LOG_FORMAT = env.str("OPS_LOG_FORMAT", "plain")
