"""The database, from DATABASE_URL (SQLite in the repository by default, PostgreSQL in production)."""
from __future__ import annotations

from project.environment import BASE_DIR, env

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR}/db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
