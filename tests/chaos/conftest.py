"""Chaos fixtures: one stack (2 daphnes, one worker with room for many tickers) shared by the folder.

Every test breaks something on purpose and puts it back (Redis restarted, daphne restarted),
so later tests find a healthy stack; each ends with `ledger.audit` (the exact accounting).
"""
import pytest

from livestack.stack import LiveStack


@pytest.fixture(scope="package")  # torn down when the folder is done: stacks never pile up
def chaos_stack():
    # Tickers mostly sleep, so 8 pool processes fit 2 cores and let 100 jobs drain quickly.
    live = LiveStack(workers=1, daphnes=2, concurrency=8).start()
    yield live
    live.stop()
