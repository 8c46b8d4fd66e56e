"""A real Jobcast stack for integration tests and benchmarks: migrated database, daphne, Celery worker(s).

Everything talks over real sockets to a redis-server of its own (started per stack). The
database is a fresh SQLite file, or a fresh PostgreSQL or MariaDB/MySQL database when
DATABASE_URL points at one. The broker is that Redis, or a fresh RabbitMQ vhost when
JOBCAST_TEST_AMQP_URL (or CELERY_BROKER_URL) is amqp:// (CI runs the suite on each combination).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx
import pymysql

from livestack.redis_server import RedisServer, free_port

ROOT = Path(__file__).resolve().parent.parent
TERMINAL = ("success", "failure", "revoked")

_shared_static_root: str | None = None  # collected by the first stack of this process


def wait_until(predicate: Callable[[], Any], timeout: float = 60, interval: float = 0.05, what: str = "condition"):
    """Poll `predicate` until it returns something truthy; fail with `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


class LiveStack:
    """Processes are started by `start()` and stopped by `stop()`; logs land in `self.dir`."""

    def __init__(self, *, workers: int = 1, daphnes: int = 1, env: dict[str, str] | None = None,
                 concurrency: int = 2, redis: RedisServer | None = None, database_url: str | None = None) -> None:
        """`redis` and `database_url` (else $DATABASE_URL) replace the defaults (livestack/netns.py)."""
        self.dir = Path(tempfile.mkdtemp(prefix="jobcast-stack-"))
        # Each stack has its own redis-server: two stacks on one broker would take each
        # other's messages (and job ids unknown to their database), and pub/sub ignores DB numbers.
        self.redis = redis or RedisServer.start()
        self._database_url = os.environ.get("DATABASE_URL", "") if database_url is None else database_url
        self.redis_url = self.redis.url
        self.n_workers, self.n_daphnes, self.concurrency = workers, daphnes, concurrency
        self.pg_db: str | None = None
        self.mysql_db: str | None = None
        self.amqp_vhost: str | None = None
        self.env = self._base_env(env or {})
        self.workers: list[subprocess.Popen] = []
        self.daphnes: list[subprocess.Popen] = []
        self.daphne_ports: list[int] = []
        self.daphne_hosts: dict[int, str] = {}  # port -> address, when not 127.0.0.1
        self.tokens: dict[str, str] = {}
        self._logs: list[Any] = []

    # --- setup ----------------------------------------------------------------------------

    def _base_env(self, extra: dict[str, str]) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))}
        database_url = self._database_url
        if database_url.startswith(("postgres://", "postgresql://")):
            self.pg_db = f"jobcast_it_{uuid.uuid4().hex[:10]}"
            base, _, _ = database_url.rpartition("/")
            self._pg_admin(database_url, f'CREATE DATABASE "{self.pg_db}"')
            self._pg_url = database_url
            database_url = f"{base}/{self.pg_db}"
        elif database_url.startswith("mysql://"):
            self.mysql_db = f"jobcast_it_{uuid.uuid4().hex[:10]}"
            self._mysql_url = database_url
            self._mysql_admin(f"CREATE DATABASE `{self.mysql_db}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
            database_url = urlunsplit(urlsplit(database_url)._replace(path=f"/{self.mysql_db}"))
        else:
            database_url = f"sqlite:///{self.dir}/db.sqlite3"
        broker_url = self.redis_url
        amqp_url = os.environ.get("JOBCAST_TEST_AMQP_URL") or os.environ.get("CELERY_BROKER_URL", "")
        if amqp_url.startswith(("amqp://", "pyamqp://")):
            self.amqp_vhost = f"jobcast_it_{uuid.uuid4().hex[:10]}"
            user = unquote(urlsplit(amqp_url).username or "guest")
            self._rabbitmqctl("add_vhost", self.amqp_vhost)
            self._rabbitmqctl("set_permissions", "-p", self.amqp_vhost, user, ".*", ".*", ".*")
            broker_url = urlunsplit(urlsplit(amqp_url)._replace(path=f"/{self.amqp_vhost}"))
        self.broker_url = broker_url
        env.update({
            "DJANGO_SETTINGS_MODULE": "project.settings",
            "DJANGO_SECRET_KEY": "integration-secret",
            "DJANGO_DEBUG": "false",
            "DATABASE_URL": database_url,
            "REDIS_URL": self.redis_url,
            "CELERY_BROKER_URL": broker_url,
            "CHANNEL_LAYER_URL": self.redis_url,
            "MEDIA_ROOT": str(self.dir / "media"),
            "DJANGO_STATIC_ROOT": str(self.dir / "static"),
            "PYTHONUNBUFFERED": "1",
            "JOBS_HEARTBEAT_INTERVAL_S": "1",
            # Tests and benchmarks submit hundreds of jobs; throttling has its own test.
            "JOBS_THROTTLE_CREATE": "100000/min",
            "JOBS_THROTTLE_TOKEN": "100000/min",
        })
        env.update(extra)
        return env

    @staticmethod
    def _pg_admin(url: str, sql: str) -> None:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql)

    def _mysql_admin(self, sql: str) -> None:
        parts = urlsplit(self._mysql_url)
        conn = pymysql.connect(host=parts.hostname or "127.0.0.1", port=parts.port or 3306,
                               user=unquote(parts.username or "root"), password=unquote(parts.password or ""),
                               charset="utf8mb4", autocommit=True)
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql)
        finally:
            conn.close()

    @staticmethod
    def _rabbitmqctl(*args: str) -> None:
        """The stack's own vhost (rabbitmqctl, run as root on the broker's machine): no shared queues."""
        subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)

    def manage(self, *args: str, check: bool = True) -> str:
        return self._python("manage.py", *args, check=check)

    def _python(self, *args: str, check: bool = True) -> str:
        """Run `python <args>` with the stack's environment; its stdout."""
        proc = subprocess.run([sys.executable, *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=300)
        if check and proc.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
        return proc.stdout.strip()

    def start(self) -> "LiveStack":
        self._prepare()
        spawned = [self._spawn_daphne(self._unused_port()) for _ in range(self.n_daphnes)]
        for i in range(self.n_workers):
            self.start_worker(f"w{i + 1}")
        for proc, port in spawned:
            self._wait_daphne(proc, port)
        self.wait_healthy()
        return self

    def _prepare(self) -> None:
        """Migrate, collect static files and create the users (livestack/stack_setup.py).

        The static files are the same for every stack, so they are collected once per process.
        """
        global _shared_static_root
        collect = _shared_static_root is None
        if collect:
            _shared_static_root = self.env["DJANGO_STATIC_ROOT"]
        self.env["DJANGO_STATIC_ROOT"] = _shared_static_root
        out = self._python("-m", "livestack.stack_setup", *(["--collect-static"] if collect else []))
        line = next(line for line in out.splitlines() if line.startswith("TOKENS "))
        self.tokens.update(json.loads(line.removeprefix("TOKENS ")))

    def _spawn(self, name: str, cmd: list[str], wrap: tuple[str, ...] = ()) -> subprocess.Popen:
        """`wrap` prefixes the command (`ip netns exec <ns>`: livestack/netns.py)."""
        log = open(self.dir / f"{name}.log", "ab")
        self._logs.append(log)
        return subprocess.Popen([*wrap, *cmd], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)

    def start_daphne(self, port: int | None = None) -> int:
        port = port or free_port()
        self._wait_daphne(*self._spawn_daphne(port))
        return port

    def _unused_port(self) -> int:
        """A free port no daphne of this stack was given: spawned together, none has bound yet."""
        while (port := free_port()) in self.daphne_ports:
            pass
        return port

    def _spawn_daphne(self, port: int, host: str = "127.0.0.1",
                      wrap: tuple[str, ...] = ()) -> tuple[subprocess.Popen, int]:
        proc = self._spawn(f"daphne-{port}", [sys.executable, "-m", "daphne", "-b", host, "-p", str(port),
                                              "asgi:application"], wrap)
        self.daphnes.append(proc)
        self.daphne_ports.append(port)
        if host != "127.0.0.1":
            self.daphne_hosts[port] = host
        return proc, port

    def _wait_daphne(self, proc: subprocess.Popen, port: int) -> None:
        wait_until(lambda: self._answers(port) or proc.poll() is not None, 60, what=f"daphne on {port}")
        if proc.poll() is not None:
            raise RuntimeError(f"daphne exited: {(self.dir / f'daphne-{port}.log').read_text()[-3000:]}")

    def _answers(self, port: int) -> bool:
        try:
            httpx.get(f"{self.http_base(port)}/api/health/", timeout=5)
            return True
        except httpx.HTTPError:
            return False

    def start_worker(self, name: str, queues: str | None = None, pool: str = "prefork",
                     concurrency: int | None = None, wrap: tuple[str, ...] = ()) -> subprocess.Popen:
        cmd = [sys.executable, "-m", "celery", "-A", "project", "worker", "-l", "info", "-n", f"{name}@%h",
               "--pool", pool, "-c", str(concurrency or self.concurrency), "--without-mingle", "--without-gossip"]
        if queues:
            cmd += ["-Q", queues]
        proc = self._spawn(f"worker-{name}", cmd, wrap)
        self.workers.append(proc)
        return proc

    def wait_healthy(self, timeout: float = 90) -> None:
        last: dict[str, Any] = {}

        def healthy():
            try:
                r = httpx.get(f"{self.base}/api/health/", timeout=5)
                last["body"] = r.text
                return r.status_code == 200 and r.json()
            except httpx.HTTPError as exc:
                last["body"] = repr(exc)
                return False
        try:
            wait_until(healthy, timeout, 0.2, what="a healthy stack (database, broker, channel layer, workers)")
        except AssertionError:
            logs = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-2000:]}" for p in self.dir.glob("*.log"))
            raise AssertionError(f"stack in {self.dir} not healthy: {last.get('body')}\n{logs}") from None

    def stop(self) -> None:
        for proc in self.workers + self.daphnes:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for proc in self.workers + self.daphnes:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
        for log in self._logs:
            log.close()
        self.redis.stop()
        if self.pg_db:
            try:
                self._pg_admin(self._pg_url, f'DROP DATABASE IF EXISTS "{self.pg_db}" WITH (FORCE)')
            except Exception:
                pass
        if self.mysql_db:
            try:
                self._mysql_admin(f"DROP DATABASE IF EXISTS `{self.mysql_db}`")
            except pymysql.Error:
                pass
        if self.amqp_vhost:
            try:
                self._rabbitmqctl("delete_vhost", self.amqp_vhost)
            except (OSError, subprocess.SubprocessError):
                pass

    def log(self, name: str) -> str:
        path = self.dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # --- clients --------------------------------------------------------------------------

    def http_base(self, port: int) -> str:
        return f"http://{self.daphne_hosts.get(port, '127.0.0.1')}:{port}"

    @property
    def base(self) -> str:
        return self.http_base(self.daphne_ports[0])

    def ws_base(self, index: int = 0) -> str:
        return "ws" + self.http_base(self.daphne_ports[index]).removeprefix("http")

    def client(self, user: str = "alice", index: int = 0) -> httpx.Client:
        return httpx.Client(base_url=self.http_base(self.daphne_ports[index]),
                            headers={"Authorization": f"Token {self.tokens[user]}"}, timeout=30)

    def ws_headers(self, user: str = "alice") -> dict[str, str]:
        return {"Authorization": f"Token {self.tokens[user]}"}

    def submit(self, kind: str = "jobs.ticker", params: dict | None = None, user: str = "alice", **extra) -> dict:
        with self.client(user) as c:
            r = c.post("/api/jobs/", json={"kind": kind, "params": params or {}, **extra})
        assert r.status_code == 201, r.text
        return r.json()

    def job(self, job_id: str, user: str = "alice") -> dict:
        with self.client(user) as c:
            return c.get(f"/api/jobs/{job_id}/").json()

    def wait_job(self, job_id: str, statuses=TERMINAL, timeout: float = 90, user: str = "alice") -> dict:
        return wait_until(lambda: (lambda j: j if j["status"] in statuses else None)(self.job(job_id, user)),
                          timeout, 0.1, what=f"job {job_id} to reach {statuses}")

    def events(self, job_id: str, after: int = 0, user: str = "alice") -> list[dict]:
        with self.client(user) as c:
            return c.get(f"/api/jobs/{job_id}/events/", params={"after": after}).json()["events"]


async def ws_collect(url: str, headers: dict[str, str] | None = None, *, origin: str | None = None,
                     until: Callable[[dict], bool] | None = None, timeout: float = 60,
                     max_frames: int | None = None) -> tuple[list[dict], int | None]:
    """Read JSON frames until `until(frame)` holds, the socket closes, or `timeout` passes."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    frames: list[dict] = []
    code = None
    until = until or (lambda f: f.get("event") in TERMINAL)
    async with connect(url, additional_headers=headers or {}, origin=origin, open_timeout=20) as ws:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                import asyncio

                frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=deadline - time.monotonic()))
            except ConnectionClosed as exc:
                code = exc.rcvd.code if exc.rcvd else None
                break
            except TimeoutError:
                break
            frames.append(frame)
            if until(frame) or (max_frames and len(frames) >= max_frames):
                break
    return frames, code
