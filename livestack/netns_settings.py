"""Settings of the multi-host test's processes (livestack/netns.py): the project's, redelivering fast.

A job whose worker was cut off stays unacknowledged in Redis until the broker's visibility
timeout, and kombu only sweeps for such messages every 10 × 10 s. CELERY_VISIBILITY_TIMEOUT
cannot simply be lowered: the kind registry refuses any kind whose hard time limit reaches it
(the 1 h kinds), because a healthy job running longer would be delivered twice. So only the
transport option is shortened here, for a test whose every job runs well under it, and the
sweep runs every second. The mutex a sweeping worker holds expires in 5 s, not 300, or a worker
cut off mid-sweep would block every other worker's sweeps for five minutes.
"""
import os

from project.settings import *  # noqa: F403
from project.settings import CELERY_BROKER_TRANSPORT_OPTIONS as _PROJECT_OPTIONS

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **_PROJECT_OPTIONS,
    "visibility_timeout": int(os.environ.get("JOBCAST_TEST_VISIBILITY_TIMEOUT_S", "10")),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
    "unacked_mutex_expire": 5,
}
