"""Operations (apps.ops: metrics and logs), celery-progress compatibility (apps.progress) and
the completion e-mail (apps.notifications; MEDIA_* names kept from when it lived in apps.media)."""
from project.environment import env

# Who may read /metrics: clients from these addresses, or anyone sending
# `Authorization: Bearer <OPS_METRICS_TOKEN>` when a token is set. Behind a proxy the
# address is the proxy's: the nginx site in deploy/ refuses /metrics from outside.
OPS_METRICS_ALLOWED_IPS = env.list("OPS_METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
OPS_METRICS_TOKEN = env.str("OPS_METRICS_TOKEN", "")
# Log lines: "plain" (the project's format plus job id/kind/task id) or "json" (one object a line).
OPS_LOG_FORMAT = env.str("OPS_LOG_FORMAT", "plain")

# celery-progress tasks become jobs owned by: the user id in the message header
# `jobcast_owner_id`, else the task kwarg named here, else this service user (staff see them).
OPS_PROGRESS_OWNER_KWARG = env.str("OPS_PROGRESS_OWNER_KWARG", "user_id")
OPS_PROGRESS_SERVICE_USER = env.str("OPS_PROGRESS_SERVICE_USER", "celery-progress")

# --- completion e-mail -----------------------------------------------------------------------
MEDIA_SITE_URL = env.str("MEDIA_SITE_URL", "http://localhost:8000")
MEDIA_EMAIL_MAX_RETRIES = env.int("MEDIA_EMAIL_MAX_RETRIES", 5)
MEDIA_EMAIL_RETRY_BACKOFF_S = env.float("MEDIA_EMAIL_RETRY_BACKOFF_S", 30.0)
