"""ocr.extract end to end: /api/ocr/save/ -> three Celery steps -> document status + WebSocket stages.

Runs on the shared live stack (daphne + a Celery worker consuming every queue). The failing and
slow pipelines use the staff diagnostics params (fail_stage, stage_pause_ms), so they need no
stack of their own.
"""
from __future__ import annotations

import asyncio

import httpx
import pytest

from livestack.stack import wait_until, ws_collect
from tests.ocr.conftest import proposal_text

pytestmark = pytest.mark.asyncio(loop_scope="function")

STAGES = [("extracting_basic_info", 20), ("basic_info_completed", 33), ("extracting_table", 50),
          ("table_completed", 66), ("extracting_summary", 80), ("all_completed", 100)]


def save(stack, user: str = "alice", **body) -> httpx.Response:
    with stack.client(user) as client:
        return client.post("/api/ocr/save/", json=body)


def status(stack, document_id: int, user: str = "alice") -> dict:
    with stack.client(user) as client:
        return client.get(f"/api/ocr/documents/{document_id}/status/").json()["data"]


def detail(stack, document_id: int, user: str = "alice") -> dict:
    with stack.client(user) as client:
        return client.get(f"/api/ocr/documents/{document_id}/").json()["data"]


def stage_events(events: list[dict]) -> list[tuple[str, int]]:
    return [(e["stage"], int(e["progress"])) for e in events if e["event"] == "stage"]


async def test_status_and_websocket_pass_through_every_stage_in_order(stack):
    response = save(stack, "root", file_name="富饒千秋.pdf", ocr_content=proposal_text("zh_hant"),
                    stage_pause_ms=700)
    assert response.status_code == 200, response.text
    document_id, job_id = response.json()["document_id"], response.json()["job_id"]
    assert status(stack, document_id, "root")["job_id"] == job_id

    seen: list[tuple[str, int]] = []

    def finished_while_recording():
        data = status(stack, document_id, "root")
        current = (data["processing_stage"], data["progress_percentage"])
        if not seen or seen[-1] != current:
            seen.append(current)
        return data["processing_stage"] in ("all_completed", "error")

    poller = asyncio.create_task(asyncio.to_thread(wait_until, finished_while_recording, 90, 0.05, "all_completed"))
    frames, _ = await ws_collect(f"{stack.ws_base()}/ws/jobs/{job_id}/?after=0", stack.ws_headers("root"),
                                 timeout=90)
    await poller

    events = [f for f in frames if f["type"] == "event"]
    assert frames[0]["type"] == "snapshot" and frames[0]["job"]["kind"] == "ocr.extract"
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert stage_events(events) == STAGES
    assert events[0]["event"] == "pending" and events[-1]["event"] == "success"
    # The page polling the old endpoint sees the same stages, in the same order.
    assert [s for s in seen if s[0] != "pending"] == STAGES
    assert seen[0][0] in ("pending", "extracting_basic_info")

    document = detail(stack, document_id, "root")
    assert document["basic_info"]["insured_name"] == "陳大文" and document["basic_info"]["annual_premium"] == 10000
    assert len(document["table_data"]["rows"]) == 30
    assert document["summary"]["break_even_year"] == 9 and document["status"] == "completed"
    assert stack.job(job_id, "root")["result"]["document_id"] == document_id


async def test_a_stage_two_failure_shows_error_never_runs_stage_three_and_retry_resumes(stack):
    response = save(stack, "root", file_name="legacy.pdf", ocr_content=proposal_text("en"),
                    fail_stage="extract_table")
    assert response.status_code == 200, response.text
    document_id, job_id = response.json()["document_id"], response.json()["job_id"]

    job = stack.wait_job(job_id, user="root", timeout=120)
    assert job["status"] == "failure" and "extract_table" in job["error"]["message"]
    data = wait_until(lambda: (lambda d: d if d["status"] == "error" else None)(status(stack, document_id, "root")),
                      60, what="the document in error")
    assert data["processing_stage"] == "error"
    assert "extract_table" in data["error_message"] and "after 2 retries" in data["error_message"]
    events = stack.events(job_id, user="root")
    assert [e["event"] for e in events].count("retry") == 2
    assert "extracting_summary" not in [e["stage"] for e in events if e["event"] == "stage"]
    document = detail(stack, document_id, "root")
    assert document["basic_info"]["insured_name"] == "John Smith"
    assert document["table_data"] is None and document["summary"] is None

    # The injected fault only covers the first three runs: a manual retry resumes at extract_table.
    with stack.client("root") as client:
        retried = client.post(f"/api/ocr/documents/{document_id}/retry/")
    assert retried.status_code == 202
    assert retried.json()["data"]["processing_stage"] == "basic_info_completed"
    assert stack.wait_job(job_id, user="root", timeout=90)["status"] == "success"
    after_retry = stack.events(job_id, after=events[-1]["seq"], user="root")
    assert [stage for stage, _ in stage_events(after_retry)] == [s for s, _ in STAGES[2:]]
    final = detail(stack, document_id, "root")
    assert final["status"] == "completed" and final["error_message"] is None
    assert len(final["table_data"]["rows"]) == 14 and final["summary"]["break_even_year"] == 5


async def test_documents_belong_to_the_caller_and_hold_the_extracted_values(stack):
    first = save(stack, file_name="李明.pdf", ocr_content=proposal_text("zh_hans")).json()
    other = save(stack, file_name="again.pdf", ocr_content=proposal_text("zh_hans"), user_id=2).json()  # bob
    wait_until(lambda: status(stack, first["document_id"])["status"] == "completed", 90, 0.1, "all_completed")
    document = detail(stack, first["document_id"])
    assert document["basic_info"] == {
        "insured_name": "李明", "age": 30, "gender": "female", "product_name": "康盈终身储蓄保险计划",
        "currency": "HKD", "sum_assured": 485000, "annual_premium": 48500, "payment_term_years": 10,
        "coverage_term": "whole life", "language": "zh-Hans"}
    assert document["summary"]["break_even_year"] == 15
    assert [m["irr_percent"] for m in document["summary"]["milestones"]] == [-3.2, 1.32, 1.95]
    assert detail(stack, other["document_id"])["owner_id"] == document["owner_id"]  # user_id ignored
    with stack.client("bob") as bob:
        assert bob.get(f"/api/ocr/documents/{first['document_id']}/status/").status_code == 404
        ids = [d["id"] for d in bob.get("/api/ocr/documents/").json()["data"]]
    assert first["document_id"] not in ids


async def test_bad_input_is_refused_by_name_and_creates_nothing(stack):
    with stack.client("bob") as client:
        before = client.get("/api/ocr/documents/").json()["count"]
        empty = client.post("/api/ocr/save/", json={"file_name": "x", "ocr_content": ""})
        assert empty.status_code == 400 and "ocr_content" in empty.json()["errors"]
        huge = client.post("/api/ocr/save/", json={"file_name": "x", "ocr_content": "0" * (10 * 1024 * 1024 + 1)})
        assert huge.status_code == 413 and "limit" in huge.json()["detail"]
        gif = ("scan.pdf", b"GIF89a" + b"\0" * 100, "application/pdf")
        not_pdf = client.post("/api/ocr/save/", files={"file": gif})
        assert not_pdf.status_code == 400 and "not a PDF" in not_pdf.json()["errors"]["file"][0]
        chaos = client.post("/api/ocr/save/",
                            json={"file_name": "x", "ocr_content": "x", "fail_stage": "extract_table"})
        assert chaos.status_code == 400 and "fail_stage" in chaos.json()["errors"]
        assert client.get("/api/ocr/documents/").json()["count"] == before
