"""Settings for the test run: the project's own, pointed at a private redis-server.

Only the server's address is chosen here, before Django reads its settings; the session fixture
`test_redis` in tests/conftest.py starts it. JOBCAST_TEST_REDIS_URL names a running one instead.
"""
import os

from livestack.redis_server import free_port

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key")
# True when the suite owns the server (it starts it on this URL's port), False for one given.
TEST_REDIS_PRIVATE = not os.environ.get("JOBCAST_TEST_REDIS_URL")
if TEST_REDIS_PRIVATE:
    os.environ["JOBCAST_TEST_REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"
TEST_REDIS_URL = os.environ["JOBCAST_TEST_REDIS_URL"]
# A RabbitMQ broker given to the run is for the live stacks (each makes its own vhost of it,
# livestack/stack.py); the unit tests' Celery app keeps the private Redis.
if os.environ.get("CELERY_BROKER_URL", "").startswith(("amqp://", "pyamqp://")):
    os.environ.setdefault("JOBCAST_TEST_AMQP_URL", os.environ["CELERY_BROKER_URL"])
for _name in ("REDIS_URL", "CELERY_BROKER_URL", "CHANNEL_LAYER_URL"):
    os.environ[_name] = TEST_REDIS_URL

from project.settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A file (not shared-cache memory) test database, so threads in the concurrency tests get
# SQLite's real locking with the busy timeout instead of "database table is locked".
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"/tmp/jobcast-test-{os.getpid()}.sqlite3"}  # noqa: F405

REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"job_create": "100000/min",  # noqa: F405
                                                              "auth_token": "100000/min"}}

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - whitenoise warns about a missing one
