"""The web-test engine against a live target on loopback: steps, expectations, variables."""
import pytest

from apps.testing.webtest import ConnectFailed, json_path, render, run_script
from livestack.redis_server import free_port


async def _run(base_url, steps):
    seen = []

    async def on_step(index, so_far):
        seen.append((index, so_far["steps"][-1]["name"], so_far["passed"], so_far["failed"]))

    return await run_script(base_url, steps, on_step), seen


async def test_script_with_passing_and_failing_steps_and_a_variable(target):
    steps = [
        {"name": "token", "method": "GET", "path": "/token", "expect": {"status": 200, "json": {"data.ok": True}},
         "extract": {"token": "data.token"}},
        {"name": "use it", "method": "POST", "path": "/echo", "headers": {"X-Token": "{{token}}"},
         "json": {"t": "{{token}}", "n": 1}, "expect": {"status": 201, "body_contains": "{{token}}",
                                                         "json": {"json.t": "{{token}}"}}},
        {"name": "server error", "path": "/fail", "expect": {"status": 200, "body_contains": "fine"}},
        {"name": "form and query", "method": "POST", "path": "/echo", "query": {"q": "{{token}}"},
         "form": {"a": "1"}, "expect": {"json": {"query.q": "{{token}}", "body": "a=1"},
                                        "headers": {"X-Target": "yes"}}},
        {"name": "too slow", "path": "/slow?ms=1000", "timeout_s": 0.2},
        {"name": "undefined", "path": "/echo/{{nope}}"},
    ]
    result, seen = await _run(target.url, steps)

    assert [s["name"] for s in result["steps"]] == [s["name"] for s in steps]
    assert [s["passed"] for s in result["steps"]] == [True, True, False, True, False, False]
    assert (result["passed"], result["failed"]) == (3, 3)
    assert seen == [(1, "token", 1, 0), (2, "use it", 2, 0), (3, "server error", 2, 1),
                    (4, "form and query", 3, 1), (5, "too slow", 3, 2), (6, "undefined", 3, 3)]
    token_step, use_step, failed_step = result["steps"][:3]
    assert token_step["extracted"] == {"token": target.token}
    assert use_step["status_code"] == 201 and use_step["elapsed_ms"] >= 0
    assert failed_step["status_code"] == 500
    assert failed_step["failures"] == ["status: expected 200, got 500", "body does not contain 'fine'"]
    assert failed_step["error"] == "status: expected 200, got 500; body does not contain 'fine'"
    assert failed_step["request"] == {"method": "GET", "url": f"{target.url}/fail"}
    assert "no response within 0.2s" in result["steps"][4]["error"]
    assert "'nope' is not defined" in result["steps"][5]["error"]
    assert target.count("/echo") == 2  # the undefined-variable step sent nothing


async def test_a_json_expectation_tells_true_from_one_and_reports_missing_paths(target):
    steps = [{"name": "types", "path": "/token", "expect": {"json": {"data.n": 3, "data.ok": 1, "data.nope": 1}},
              "extract": {"x": "data.missing"}}]
    result, _ = await _run(target.url, steps)
    assert result["steps"][0]["failures"] == ["json data.ok: expected 1, got true",
                                              "json data.nope: not found in the response",
                                              "extract x: data.missing not found in the response"]


async def test_an_unreachable_target_is_an_infrastructure_error():
    with pytest.raises(ConnectFailed):
        await _run(f"http://127.0.0.1:{free_port()}", [{"name": "a", "path": "/"}])


def test_render_keeps_a_whole_variable_typed_and_interpolates_inside_text():
    variables = {"n": 3, "t": "abc"}
    assert render({"a": "{{n}}", "b": "x-{{t}}-{{n}}", "c": ["{{ t }}"]}, variables) == \
        {"a": 3, "b": "x-abc-3", "c": ["abc"]}


def test_json_path_follows_keys_and_list_indexes():
    doc = {"data": {"items": [{"id": 7}, {"id": 8}]}}
    assert json_path(doc, "data.items.1.id") == 8
    assert json_path(doc, "data.items.-1.id") == 8
    missing = json_path(doc, "data.nope")
    assert json_path(doc, "data.items.5.id") is missing and json_path(doc, "data.items.x") is missing
