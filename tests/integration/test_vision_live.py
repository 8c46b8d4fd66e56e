"""Image analysis end to end: the old API → a real Celery worker → WebSocket stages → status."""
from __future__ import annotations

import pytest

from livestack.stack import wait_until, ws_collect
from tests.vision.factories import b64, encode, textured, with_exif

pytestmark = pytest.mark.asyncio(loop_scope="function")

STAGES = ["decoding", "metadata", "exposure_colour", "sharpness_noise", "composition", "report"]


async def test_analysis_streams_every_stage_and_the_status_endpoint_serves_the_result(stack):
    with stack.client("alice") as alice:
        created = alice.post("/api/visual-analysis/comprehensive/",
                             json={"image_data": "data:image/jpeg;base64," + b64(with_exif(textured(960, 640)))})
        assert created.status_code == 202, created.text
        task = created.json()
        assert task["status"] == "pending" and task["progress"] == 0 and task["message"]

        frames, _ = await ws_collect(f"{stack.ws_base()}/ws/jobs/{task['task_id']}/?after=0", stack.ws_headers())
        events = [f for f in frames if f["type"] == "event"]
        assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
        assert [e["stage"] for e in events if e["event"] == "stage"] == STAGES
        assert events[0]["event"] == "pending" and events[-1]["event"] == "success"
        assert events[-1]["progress"] == 100.0

        status = wait_until(lambda: (lambda s: s if s["status"] == "success" else None)(
            alice.get(f"/api/visual-analysis/task/{task['task_id']}/status/").json()), 60, what="success status")
        result = status["result"]
        assert result["exif"]["camera"] == "Canon EOS R5" and result["privacy"]["gps_present"] is True
        assert status["progress"] == 100 and status["created_at"] and status["updated_at"]

    with stack.client("bob") as bob:
        assert bob.get(f"/api/visual-analysis/task/{task['task_id']}/status/").status_code == 404


async def test_bad_input_is_refused_by_the_web_process_and_never_queued(stack):
    png = encode(textured(), "PNG")
    with stack.client("alice") as alice:
        before = alice.get("/api/jobs/", params={"kind": "vision.analyze"}).json()["count"]
        truncated = alice.post("/api/visual-analysis/comprehensive/", json={"image_data": b64(png[:500])})
        assert truncated.status_code == 400 and "truncated" in truncated.json()["image_data"][0]
        after = alice.get("/api/jobs/", params={"kind": "vision.analyze"}).json()["count"]
    assert after == before
