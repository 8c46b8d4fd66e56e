"""The one reader of configuration: django-environ, with the rules the README's table promises.

django-environ parses the `.env` file, the database URL and the typed values. Measured against
the variables we document, four of its defaults would change their meaning, so `Env` keeps ours:
an empty variable (`VAR=` in compose or systemd) means "use the default" instead of "", a value
starting with `$` is a value (django-environ would look up another variable of that name), a
boolean is one of true/false/1/0/yes/no/on/off (anything else is an error, not False), and a
number is parsed as Python does (django-environ drops non-digits, so 1e-3 would become 13).
A value that does not parse names its variable. Settings modules import `env` from here.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")
_WHAT = {bool: "true or false", int: "an integer", float: "a number"}


class Env(environ.Env):
    """django-environ's typed reader (env.int, env.bool, env.list, env.db_url …) with our rules."""

    def get_value(self, var: str, cast: Any = None, default: Any = environ.Env.NOTSET,
                  parse_default: bool = False) -> Any:
        value = os.environ.get(var, "")
        if value == "":
            if default is self.NOTSET:
                raise ImproperlyConfigured(f"Set the {var} environment variable")
            return self.parse_value(default, cast) if parse_default and default is not None else default
        try:
            return self.parse_value(value, cast)
        except ValueError:
            raise ImproperlyConfigured(f"{var} must be {_WHAT.get(cast, 'valid')}, not {value!r}") from None

    @classmethod
    def parse_value(cls, value: Any, cast: Any) -> Any:
        if not isinstance(value, str):
            return value
        if cast is bool:
            if value.strip().lower() in _TRUE:
                return True
            if value.strip().lower() in _FALSE:
                return False
            raise ValueError(value)
        if cast is float:
            return float(value)
        if cast is list:
            return [item.strip() for item in value.split(",") if item.strip()]
        return super().parse_value(value, cast)

    @classmethod
    def db_url_config(cls, url: str, engine: str | None = None) -> dict:
        """A DATABASES entry for the URL, with the pooling and SQLite options we measured (docs/architecture.md)."""
        scheme = url.split(":", 1)[0]
        if engine is None and scheme not in cls.DB_SCHEMES:
            raise ImproperlyConfigured(f"DATABASE_URL scheme {scheme!r} is not supported")
        config = super().db_url_config(url, engine=engine)
        config["CONN_MAX_AGE"] = 60
        if not config["ENGINE"].endswith("sqlite3"):
            config["CONN_HEALTH_CHECKS"] = True
            if config.get("PORT"):
                config["PORT"] = str(config["PORT"])
            config.setdefault("OPTIONS", {})
            return config
        # sqlite:///abs/path and sqlite:////abs/path both name an absolute path (as before).
        if config["NAME"] != ":memory:" and not config["NAME"].startswith("/"):
            config["NAME"] = "/" + config["NAME"]
        # Web, worker and beat write at once: WAL, BEGIN IMMEDIATE and a busy timeout
        # keep SQLite from answering "database is locked" (measured, see docs/architecture.md).
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        return config


env = Env()


def env_file() -> Path:
    """The dotenv file settings read: $JOBCAST_ENV_FILE, else `.env` at the repository root."""
    return Path(os.environ.get("JOBCAST_ENV_FILE") or BASE_DIR / ".env")


def read_env_file(path: Path | None = None) -> None:
    """Fill os.environ from the dotenv file, if there is one; real environment variables win."""
    path = path or env_file()
    if path.is_file():
        Env.read_env(path, overwrite=False)
