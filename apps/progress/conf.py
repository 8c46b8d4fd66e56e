"""Settings of apps.progress (celery-progress compatibility), from the environment."""
from __future__ import annotations

from project.env import env_str

# celery-progress tasks become jobs owned by: the user id in the message header
# `jobcast_owner_id`, else the task kwarg named here, else this service user (staff see them).
PROGRESS_OWNER_KWARG = env_str("OPS_PROGRESS_OWNER_KWARG", "user_id")
PROGRESS_SERVICE_USER = env_str("OPS_PROGRESS_SERVICE_USER", "celery-progress")
