"""Fault 4: a daphne process SIGKILLed mid-job and started again on the same port.

Its clients lose their sockets without a close frame, retry until the port answers again, and
resume with after=<last seq>: each ends with exactly 1..n. Clients on the other daphne never
notice.
"""
import asyncio
import random
import signal

import pytest

from livestack.stack import wait_until
from tests.chaos.ledger import Follower, audit, kill_daphne, report

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def test_daphne_killed_and_restarted_clients_resume_without_gap_or_duplicate(chaos_stack):
    stack = chaos_stack
    victim_port, other_port = stack.daphne_ports[0], stack.daphne_ports[1]
    jobs = [stack.submit(params={"steps": 60, "interval_ms": 60}) for _ in range(4)]
    on_victim = [Follower(j["id"], lambda: f"ws://127.0.0.1:{victim_port}", stack.ws_headers(), idle_timeout=5)
                 for j in jobs for _ in range(3)]
    on_other = [Follower(j["id"], lambda: f"ws://127.0.0.1:{other_port}", stack.ws_headers(), idle_timeout=5)
                for j in jobs]
    runs = [asyncio.create_task(f.run(timeout=150, rng=random.Random(n)))
            for n, f in enumerate(on_victim + on_other)]
    await asyncio.to_thread(wait_until, lambda: all(stack.job(j["id"])["progress"] >= 10 for j in jobs), 60,
                            what="every job under way before the kill")
    assert all(f.connects == 1 for f in on_victim)
    port = kill_daphne(stack, 0, signal.SIGKILL)
    # The jobs keep going with the victim's clients cut off; then daphne comes back on its port.
    await asyncio.to_thread(wait_until, lambda: all(f.refused > 0 for f in on_victim), 30,
                            what="the victim's clients to notice")
    await asyncio.to_thread(stack.start_daphne, port)
    await asyncio.wait_for(asyncio.gather(*runs), 180)
    books = audit(stack, [j["id"] for j in jobs], on_victim + on_other)
    assert books.statuses == {"success": len(jobs)}
    assert all(f.connects >= 2 for f in on_victim), "a victim client never reconnected"
    assert all(f.connects == 1 and f.stalls == 0 for f in on_other), "the other daphne's clients were disturbed"
    report("fault 4 daphne SIGKILL+restart", books, faults=1)
