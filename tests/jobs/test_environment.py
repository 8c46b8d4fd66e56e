"""The environment reader keeps the README's rules where django-environ's defaults differ."""
import pytest
from django.core.exceptions import ImproperlyConfigured

from project.environment import env


def test_an_empty_variable_means_the_default(monkeypatch):
    monkeypatch.setenv("JOBCAST_T_HOSTS", "")
    monkeypatch.setenv("JOBCAST_T_URL", "")
    assert env.list("JOBCAST_T_HOSTS", default=["localhost"]) == ["localhost"]
    assert env.str("JOBCAST_T_URL", "redis://x") == "redis://x"


def test_values_are_taken_as_written(monkeypatch):
    monkeypatch.setenv("JOBCAST_T_SECRET", "$not-a-reference")
    monkeypatch.setenv("JOBCAST_T_LIST", " a , b,,c ")
    monkeypatch.setenv("JOBCAST_T_FLOAT", "1e-3")
    assert env.str("JOBCAST_T_SECRET", "") == "$not-a-reference"
    assert env.list("JOBCAST_T_LIST", default=[]) == ["a", "b", "c"]
    assert env.float("JOBCAST_T_FLOAT", 0.0) == 0.001


@pytest.mark.parametrize("value, expected", [("true", True), ("Yes", True), ("1", True), ("on", True),
                                             ("false", False), ("no", False), ("0", False), ("OFF", False)])
def test_booleans(monkeypatch, value, expected):
    monkeypatch.setenv("JOBCAST_T_BOOL", value)
    assert env.bool("JOBCAST_T_BOOL", not expected) is expected


@pytest.mark.parametrize("reader, value, message", [
    (env.bool, "maybe", "JOBCAST_T_BAD must be true or false, not 'maybe'"),
    (env.int, "ten", "JOBCAST_T_BAD must be an integer, not 'ten'"),
    (env.float, "fast", "JOBCAST_T_BAD must be a number, not 'fast'"),
])
def test_a_bad_value_names_its_variable(monkeypatch, reader, value, message):
    monkeypatch.setenv("JOBCAST_T_BAD", value)
    with pytest.raises(ImproperlyConfigured, match=message):
        reader("JOBCAST_T_BAD", None)


def test_database_urls():
    assert env.db_url_config("sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"
    assert env.db_url_config("sqlite:///tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"
    pg = env.db_url_config("postgres://u:p%40ss@db:5433/jobcast?sslmode=require")
    assert (pg["ENGINE"], pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "django.db.backends.postgresql", "jobcast", "u", "p@ss", "db", "5433")
    assert pg["OPTIONS"] == {"sslmode": "require"} and pg["CONN_MAX_AGE"] == 60 and pg["CONN_HEALTH_CHECKS"]
    with pytest.raises(ImproperlyConfigured, match="scheme 'nosql' is not supported"):
        env.db_url_config("nosql://db/x")
