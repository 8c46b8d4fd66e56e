"""Long-lived workers must not pile up database connections: each job's heartbeat thread and
progress-flush timer threads end, and their connections must end with them (PostgreSQL refuses
clients past max_connections; SQLite runs out of file descriptors)."""
import os
from pathlib import Path

from livestack.procstat import descendants


def _db_connections(stack) -> int:
    """Open connections to the stack's database, counted on the server or in /proc."""
    if stack.pg_db:
        import psycopg

        with psycopg.connect(stack._pg_url, autocommit=True) as conn:
            return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
                                (stack.pg_db,)).fetchone()[0]
    db = str(stack.dir / "db.sqlite3")
    count = 0
    for pid in [pid for worker in stack.workers for pid in descendants(worker.pid)]:
        try:
            fds = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                count += os.readlink(fd) == db
            except OSError:
                pass
    return count


def _run_jobs(stack, n: int) -> None:
    # 1.5 s each: the heartbeat (every 1 s here) beats, and progress faster than the 100 ms
    # coalescing interval is flushed by timer threads.
    jobs = [stack.submit(params={"steps": 50, "interval_ms": 30}) for _ in range(n)]
    for job in jobs:
        assert stack.wait_job(job["id"], timeout=120)["status"] == "success"


def test_finished_jobs_leave_no_database_connections_behind(stack):
    _run_jobs(stack, 2)
    warm = _db_connections(stack)
    _run_jobs(stack, 10)
    after = _db_connections(stack)
    assert after <= warm + 2, f"{after - warm} more database connections after 10 more jobs ({warm} → {after})"
