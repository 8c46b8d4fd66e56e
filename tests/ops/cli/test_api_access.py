"""The API commands' parameter parsing (no server needed)."""
from __future__ import annotations

import argparse

import pytest

from apps.ops.cli.api_access import parse_params


def test_params_are_json_when_they_parse_else_strings():
    args = argparse.Namespace(params='{"steps": 2}', param=["interval_ms=5", "fail_at=null", "name=hello world",
                                                            "tags=[1, 2]"])
    assert parse_params(args) == {"steps": 2, "interval_ms": 5, "fail_at": None, "name": "hello world",
                                   "tags": [1, 2]}
    with pytest.raises(ValueError):
        parse_params(argparse.Namespace(params=None, param=["novalue"]))
