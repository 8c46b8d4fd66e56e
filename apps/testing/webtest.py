"""The web-test engine: run a script's HTTP steps in order, check expectations, carry variables.

Plain async code with no Django or job in sight: it takes the script and a per-step callback
and returns the result, so it runs in a test or a shell as well as in a job.
"""
from __future__ import annotations

import json
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings

_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_MISSING = object()

StepCallback = Callable[[int, dict[str, Any]], Awaitable[None]]


class ConnectFailed(Exception):
    """The target did not accept a connection: an infrastructure error, not a failed check."""


class UndefinedVariable(KeyError):
    """A step uses `{{name}}` that no earlier step extracted."""


def render(value: Any, variables: dict[str, Any]) -> Any:
    """Replace `{{name}}` in strings (recursively); a string that is only `{{name}}` keeps the value's type."""
    if isinstance(value, str):
        whole = _VARIABLE.fullmatch(value.strip())
        if whole:
            return _lookup(variables, whole.group(1))
        return _VARIABLE.sub(lambda m: _as_text(_lookup(variables, m.group(1))), value)
    if isinstance(value, dict):
        return {render(k, variables): render(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [render(item, variables) for item in value]
    return value


def _lookup(variables: dict[str, Any], name: str) -> Any:
    if name not in variables:
        raise UndefinedVariable(name)
    return variables[name]


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def json_path(document: Any, path: str) -> Any:
    """Follow a dotted path (`data.items.0.id`) into decoded JSON; `_MISSING` if it leads nowhere."""
    current = document
    for part in path.split(".") if path else []:
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.lstrip("-").isdigit() and -len(current) <= int(part) < len(current):
            current = current[int(part)]
        else:
            return _MISSING
    return current


def step_url(base_url: str, path: str) -> str:
    """Join base URL and path, refusing a path that would leave the base URL's host."""
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"path {path!r} must start with a single '/'")
    url = base_url.rstrip("/") + path
    if urlsplit(url).netloc != urlsplit(base_url).netloc:
        raise ValueError(f"path {path!r} leaves the script's base URL")
    return url


def _check(step: dict[str, Any], response: httpx.Response, body: Any, variables: dict[str, Any]) -> list[str]:
    """The expectation failures of one response, each a readable sentence."""
    expect = render(step.get("expect") or {}, variables)
    failures: list[str] = []
    if "status" in expect and response.status_code != expect["status"]:
        failures.append(f"status: expected {expect['status']}, got {response.status_code}")
    for name, wanted in (expect.get("headers") or {}).items():
        got = response.headers.get(name)
        if got != str(wanted):
            failures.append(f"header {name}: expected {wanted!r}, got {got!r}")
    if "body_contains" in expect and str(expect["body_contains"]) not in response.text:
        failures.append(f"body does not contain {expect['body_contains']!r}")
    for path, wanted in (expect.get("json") or {}).items():
        if body is _MISSING:
            failures.append(f"json {path}: the response is not JSON")
            continue
        got = json_path(body, path)
        if got is _MISSING:
            failures.append(f"json {path}: not found in the response")
        elif got != wanted or isinstance(wanted, bool) != isinstance(got, bool):  # 1 is not true
            failures.append(f"json {path}: expected {json.dumps(wanted)}, got {json.dumps(got)}")
    return failures


def _extract(step: dict[str, Any], body: Any, variables: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    extracted, failures = {}, []
    for name, path in (step.get("extract") or {}).items():
        value = _MISSING if body is _MISSING else json_path(body, path)
        if value is _MISSING:
            failures.append(f"extract {name}: {path} not found in the response")
        else:
            extracted[name] = value
    variables.update(extracted)
    return extracted, failures


async def run_step(client: httpx.AsyncClient, base_url: str, step: dict[str, Any],
                   variables: dict[str, Any]) -> dict[str, Any]:
    """Send one step and judge it; raises ConnectFailed when the target refuses connections."""
    method = step.get("method", "GET").upper()
    outcome: dict[str, Any] = {"name": step["name"], "passed": False, "status_code": None, "elapsed_ms": None,
                               "error": None, "failures": [], "request": {"method": method, "url": None},
                               "response": None, "extracted": {}}
    try:
        url = step_url(base_url, render(step["path"], variables))
        request_args: dict[str, Any] = {
            "headers": {str(k): _as_text(v) for k, v in render(step.get("headers") or {}, variables).items()},
            "params": render(step.get("query") or {}, variables) or None,
        }
        if "json" in step:
            request_args["json"] = render(step["json"], variables)
        elif "form" in step:
            request_args["data"] = render(step["form"], variables)
    except UndefinedVariable as exc:
        return _failed(outcome, [f"variable {exc.args[0]!r} is not defined (no earlier step extracted it)"])
    except ValueError as exc:
        return _failed(outcome, [str(exc)])
    outcome["request"]["url"] = url
    timeout = min(float(step.get("timeout_s") or settings.TESTING_DEFAULT_STEP_TIMEOUT_S),
                  settings.TESTING_MAX_STEP_TIMEOUT_S)
    started = time.perf_counter()
    try:
        response = await client.request(method, url, timeout=timeout, **request_args)
    except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
        raise ConnectFailed(f"{url}: {type(exc).__name__}: {exc}") from exc
    except httpx.TimeoutException:
        outcome["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return _failed(outcome, [f"no response within {timeout:g}s"])
    except httpx.HTTPError as exc:
        outcome["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return _failed(outcome, [f"{type(exc).__name__}: {exc}"])
    outcome["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
    outcome["status_code"] = response.status_code
    outcome["response"] = {"content_type": response.headers.get("content-type"),
                           "bytes": len(response.content),
                           "body": response.text[:settings.TESTING_RESPONSE_EXCERPT_CHARS]}
    try:
        body = response.json()
    except ValueError:
        body = _MISSING
    try:
        failures = _check(step, response, body, variables)
    except UndefinedVariable as exc:
        failures = [f"variable {exc.args[0]!r} is not defined (no earlier step extracted it)"]
    outcome["extracted"], extract_failures = _extract(step, body, variables)
    return _failed(outcome, failures + extract_failures) if failures or extract_failures else {**outcome, "passed": True}


def _failed(outcome: dict[str, Any], failures: list[str]) -> dict[str, Any]:
    return {**outcome, "passed": False, "failures": failures, "error": "; ".join(failures)}


def summary(steps: list[dict[str, Any]], total: int) -> dict[str, Any]:
    """The run's result so far (docs/api.md: passed, failed, steps)."""
    passed = sum(1 for s in steps if s["passed"])
    return {"passed": passed, "failed": len(steps) - passed, "total": total, "steps": steps}


async def run_script(base_url: str, steps: list[dict[str, Any]], on_step: StepCallback) -> dict[str, Any]:
    """Run every step in order (a failed step does not stop the script); `on_step(i, result)` after each."""
    variables: dict[str, Any] = {}
    results: list[dict[str, Any]] = []
    async with httpx.AsyncClient(follow_redirects=False, trust_env=False) as client:
        for index, step in enumerate(steps, start=1):
            results.append(await run_step(client, base_url, step, variables))
            await on_step(index, summary(results, len(steps)))
    return summary(results, len(steps))
