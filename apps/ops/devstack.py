"""The all-in-one development stack behind `jobcast run` (README quick start).

Starts Redis when none answers at REDIS_URL, migrates, creates a demo user, then hands daphne,
one Celery worker (all queues) and beat to honcho's Manager (what a Procfile runs), which starts
them together, writes each one's output to logs/<name>.log and, when one exits, on Ctrl-C or on
SIGTERM (`jobcast stop`, through run/jobcast-run.pid), stops them all. The processes share a
prometheus-client multiprocess directory, so `/metrics` adds up the worker's counters too.
"""
from __future__ import annotations

import os
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlparse

import redis
from honcho import manager as honcho_manager
from honcho.manager import Manager
from honcho.printer import Message, Printer

from apps.ops.pidfiles import RUN_PIDFILE, log_dir, run_dir, worker_pidfile, write_pidfile
from project.environment import env, env_file, read_env_file

ROOT = Path(__file__).resolve().parent.parent.parent
# Seconds a process has to exit after SIGTERM before honcho kills it (honcho's default is 5):
# the worker's warm shutdown lets running tasks finish.
honcho_manager.KILL_WAIT = 15
# honcho's return code when it stopped the stack because it was told to (Ctrl-C, `jobcast stop`).
SIGNALLED = {130, 143}


def ensure_env_file() -> None:
    """Write a secret key (and a demo password) to .env ($JOBCAST_ENV_FILE) on first start."""
    path = env_file()
    lines = path.read_text().splitlines() if path.exists() else []
    keys = {line.split("=", 1)[0] for line in lines if "=" in line}
    if "DJANGO_SECRET_KEY" not in keys and not os.environ.get("DJANGO_SECRET_KEY"):
        lines.append(f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}")
    if "JOBCAST_DEMO_PASSWORD" not in keys and not os.environ.get("JOBCAST_DEMO_PASSWORD"):
        lines.append(f"JOBCAST_DEMO_PASSWORD={secrets.token_urlsafe(9)}")
    path.write_text("\n".join(lines) + "\n")
    read_env_file(path)


def redis_answers(url: str) -> bool:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
        return True
    except (redis.RedisError, OSError, ValueError):
        return False


def ensure_redis(url: str) -> subprocess.Popen | None:
    """Start a local redis-server for REDIS_URL if nothing answers there (install it as root).

    Not one of honcho's processes: migrations and the demo user need it before the others start.
    """
    if redis_answers(url):
        print(f"redis: answering at {url}")
        return None
    parsed = urlparse(url)
    if parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"Redis does not answer at {url}, and it is not on this machine: start it there.")
    binary = shutil.which("redis-server")
    if binary is None:
        if os.geteuid() == 0 and shutil.which("apt-get"):
            print("redis: installing redis-server with apt-get …")
            subprocess.run(["apt-get", "update", "-qq"], check=False)
            subprocess.run(["apt-get", "install", "-y", "-qq", "redis-server"], check=True)
            binary = shutil.which("redis-server")
        if binary is None:
            sys.exit("redis-server is not installed. Install it (sudo apt-get install redis-server, "
                     "or brew install redis) or point REDIS_URL at a running Redis.")
    port = str(parsed.port or 6379)
    with open(log_dir() / "redis.log", "ab") as log:
        server = subprocess.Popen([binary, "--port", port, "--bind", "127.0.0.1", "--save", "",
                                   "--appendonly", "no", "--dir", str(run_dir())],
                                  stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if redis_answers(url):
            print(f"redis: started redis-server on port {port}")
            return server
        time.sleep(0.1)
    server.kill()
    sys.exit(f"redis-server did not start; see {log_dir() / 'redis.log'}")


def manage(*args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, check=True)


def _stop_on_sigterm(signum, frame) -> None:
    """`jobcast stop` sends SIGTERM: leave like Ctrl-C, through the same clean-up."""
    raise KeyboardInterrupt


def _fresh_metrics_dir() -> Path:
    """One prometheus-client multiprocess directory for this run (stale files would add up)."""
    directory = run_dir() / "prometheus"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return directory


def processes(host: str, port: int) -> dict[str, list[str]]:
    """The Procfile of the stack: web, one worker on every queue, beat."""
    rundir = run_dir()
    return {
        "web": [sys.executable, "-m", "daphne", "-b", host, "-p", str(port), "asgi:application"],
        "worker": [sys.executable, "-m", "celery", "-A", "project", "worker", "-l", "info",
                   "-n", "all@%h", "--pidfile", str(worker_pidfile("all"))],
        "beat": [sys.executable, "-m", "celery", "-A", "project", "beat", "-l", "info",
                 "--pidfile", str(rundir / "beat.pid"), "-s", str(rundir / "celerybeat-schedule")],
    }


class LogFilePrinter(Printer):
    """Each process's output to logs/<name>.log as it wrote it; honcho's own lines (started, stopped) to stdout."""

    def __init__(self, logs: dict[str, BinaryIO]) -> None:
        super().__init__(sys.stdout)
        self.logs = logs

    def write(self, message: Message) -> None:
        log = self.logs.get(message.name)
        if log is None:
            super().write(message)
            return
        log.write(message.data if isinstance(message.data, bytes) else message.data.encode())
        log.flush()


def supervise(commands: dict[str, list[str]], logs: Path) -> int:
    """Run `commands` together under honcho until one exits or we are told to stop; honcho's return code."""
    files = {name: open(logs / f"{name}.log", "ab") for name in commands}  # noqa: SIM115  (closed below)
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        stack = Manager(printer=LogFilePrinter(files))
        for name, cmd in commands.items():
            # honcho runs a Procfile line through a shell; `exec` makes the pid it reports the process's own.
            stack.add_process(name, f"exec {shlex.join(cmd)}", cwd=str(ROOT))
        stack.loop()  # replaces the SIGINT and SIGTERM handlers with its own
        return stack.returncode
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        for file in files.values():
            file.close()


def run(host: str = "127.0.0.1", port: int = 8000) -> int:
    """Run everything in the foreground until Ctrl-C (or `jobcast stop`)."""
    os.chdir(ROOT)
    logs, rundir = log_dir(), run_dir()
    logs.mkdir(parents=True, exist_ok=True)
    rundir.mkdir(parents=True, exist_ok=True)
    write_pidfile(rundir / RUN_PIDFILE)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)  # until honcho takes over SIGTERM and SIGINT
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(_fresh_metrics_dir()))
    ensure_env_file()
    redis_url = env.str("REDIS_URL", "redis://127.0.0.1:6379/0")
    redis_server = None
    try:
        redis_server = ensure_redis(redis_url)
        manage("migrate", "--noinput")
        manage("collectstatic", "--noinput", "-v", "0")
        user, password = "demo", os.environ["JOBCAST_DEMO_PASSWORD"]
        subprocess.run([sys.executable, "manage.py", "ensure_user", user, password, "--staff"],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        print(f"\n  Jobcast is running at http://{host}:{port}/\n"
              f"  log in as {user} / {password}  (admin: http://{host}:{port}/admin/)\n"
              f"  logs: {logs}/{{web,worker,beat}}.log   metrics: http://{host}:{port}/metrics\n"
              f"  Ctrl-C (or `jobcast stop` from another terminal) stops everything.\n")
        if supervise(processes(host, port), logs) in SIGNALLED:
            return 0
        print("a process exited; stopped the rest (see logs/)")
        return 1
    except KeyboardInterrupt:
        print("\nstopping …")
        return 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if redis_server is not None:
            redis_server.terminate()
            try:
                redis_server.wait(15)
            except subprocess.TimeoutExpired:
                redis_server.kill()
        (rundir / RUN_PIDFILE).unlink(missing_ok=True)
