"""The database, from DATABASE_URL (SQLite in the repository by default, PostgreSQL or MariaDB/MySQL in production)."""
from __future__ import annotations

from project.environment import BASE_DIR, env

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR}/db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
    # PyMySQL (pure Python, no client library to build against) serves as Django's MySQLdb.
    import pymysql

    pymysql.install_as_MySQLdb()
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "charset": "utf8mb4",  # MySQL's "utf8" is 3 bytes: emoji would fail
        "init_command": "SET sql_mode='STRICT_TRANS_TABLES'",  # reject, never truncate
        "isolation_level": "read committed",  # what store.lock_job's row locks are reasoned about
    })
    DATABASES["default"]["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}
