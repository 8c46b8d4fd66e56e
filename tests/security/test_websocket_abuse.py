"""WebSocket abuse: junk frames, oversized frames, subscribe floods, other users' jobs, and a
TCP connection that never finishes its handshake. Each gets an error frame or a close; daphne
stays healthy and a client following a job meanwhile gets exactly 1..n.
"""
import asyncio
import json
import socket
import uuid

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.chaos.ledger import Follower, audit, report

pytestmark = pytest.mark.asyncio(loop_scope="function")

JUNK = ["", "not json", "{", "[]", "null", "42", '"ping"', '{"action": 5}', '{"action": "__class__"}',
        '{"action": "ping "}', '{"action": "subscribe"}', '{"action": "subscribe", "job_id": [1]}',
        '{"action": "subscribe", "job_id": "x", "after": -1}', '{"action": "subscribe", "after": true}',
        '{"action": "fly"}', "\u0000\u0001",
        '{"action": "pi\u202eng"}', "[" * 500 + "]" * 500]


async def _expect(ws, kind: str) -> dict:
    frame = json.loads(await asyncio.wait_for(ws.recv(), 20))
    assert frame["type"] == kind, frame
    return frame


async def test_abuse_gets_errors_or_closes_and_bystanders_are_unaffected(live):
    base = live.ws_base()
    job = live.submit(params={"steps": 60, "interval_ms": 50})
    bystanders = [Follower(job["id"], live.ws_base, live.ws_headers(), idle_timeout=10) for _ in range(3)]
    runs = [asyncio.create_task(f.run(timeout=120)) for f in bystanders]
    inputs = 0
    # A TCP connection that never completes the handshake, and one that sends half a request.
    silent = socket.create_connection(("127.0.0.1", live.daphne_ports[0]))
    half = socket.create_connection(("127.0.0.1", live.daphne_ports[0]))
    half.sendall(b"GET /ws/jobs/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n")
    try:
        async with connect(f"{base}/ws/jobs/", additional_headers=live.ws_headers("bob"), max_size=None) as ws:
            for text in JUNK:
                await ws.send(text)
                await _expect(ws, "error")
                inputs += 1
            await ws.send(b"\x00\xffbinary")
            assert "binary" in (await _expect(ws, "error"))["message"]
            # Another user's job and a job that does not exist get the same error: nothing revealed.
            await ws.send(json.dumps({"action": "subscribe", "job_id": job["id"]}))
            theirs = (await _expect(ws, "error"))["message"]
            await ws.send(json.dumps({"action": "subscribe", "job_id": str(uuid.uuid4())}))
            missing = (await _expect(ws, "error"))["message"]
            assert theirs.replace(job["id"], "ID").split("'")[0] == missing.split("'")[0]
            inputs += 3
            # Thousands of subscribe/unsubscribe messages: every one answered, in order.
            own = live.submit(params={"steps": 1, "interval_ms": 0}, user="bob")
            await asyncio.to_thread(live.wait_job, own["id"], user="bob")
            flood = 2000
            for i in range(flood):
                action = "subscribe" if i % 2 == 0 else "unsubscribe"
                await ws.send(json.dumps({"action": action, "job_id": own["id"], "after": 0}))
            answered = 0
            while answered < flood:
                frame = json.loads(await asyncio.wait_for(ws.recv(), 30))
                if frame["type"] in ("subscribed", "unsubscribed"):
                    answered += 1
            inputs += flood
            await ws.send(json.dumps({"action": "ping"}))
            await _expect(ws, "pong")
        # A frame over daphne's 1 MiB limit closes that socket with 1009 (message too big). The
        # server may close or reset while our 2 MiB are still being written, so the close can
        # surface from send() as well as from recv(); either way it is never answered.
        async with connect(f"{base}/ws/jobs/", additional_headers=live.ws_headers("bob"), max_size=None) as ws:
            with pytest.raises(ConnectionClosed) as closed:
                await ws.send(json.dumps({"action": "ping", "pad": "x" * (2 * 1024 * 1024)}))
                await asyncio.wait_for(ws.recv(), 20)
            assert closed.value.rcvd is None or closed.value.rcvd.code in (1009, 1002)
            inputs += 1
        await asyncio.wait_for(asyncio.gather(*runs), 120)
        assert httpx.get(f"{live.base}/api/health/", timeout=10).status_code == 200
    finally:
        silent.close()
        half.close()
    books = audit(live, [job["id"]], bystanders)
    assert all(f.connects == 1 and f.stalls == 0 for f in bystanders)
    report("websocket abuse", books, inputs=inputs)


async def test_unsubscribe_with_a_malformed_job_id_is_an_error(live):
    async with connect(f"{live.ws_base()}/ws/jobs/", additional_headers=live.ws_headers("bob")) as ws:
        for junk in ({"a": 1}, None, 5):
            await ws.send(json.dumps({"action": "unsubscribe", "job_id": junk}))
            await _expect(ws, "error")


async def test_deeply_nested_json_frame_is_an_error_not_a_crash(live):
    async with connect(f"{live.ws_base()}/ws/jobs/", additional_headers=live.ws_headers("bob")) as ws:
        await ws.send("[" * 5000 + "]" * 5000)
        await _expect(ws, "error")
        await ws.send(json.dumps({"action": "ping"}))
        await _expect(ws, "pong")
