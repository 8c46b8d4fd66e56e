"""The all-in-one development stack behind `jobcast run` (README quick start).

Starts Redis when none answers at REDIS_URL, migrates, creates a demo user, then runs daphne,
one Celery worker (all queues) and beat together, with per-process logs under logs/ and pidfiles
under run/, and stops them all on Ctrl-C or SIGTERM (`jobcast stop`). The processes share a
prometheus-client multiprocess directory, so `/metrics` adds up the worker's counters too.
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from apps.ops.pidfiles import RUN_PIDFILE, log_dir, run_dir, worker_pidfile, write_pidfile

ROOT = Path(__file__).resolve().parent.parent


def ensure_env_file() -> None:
    """Write a secret key (and a demo password) to .env ($JOBCAST_ENV_FILE) on first start."""
    from project.environment import env_file, read_env_file

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
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
        return True
    except Exception:
        return False


def ensure_redis(url: str, procs: list[subprocess.Popen]) -> None:
    """Start a local redis-server for REDIS_URL if nothing answers there (install it as root)."""
    if redis_answers(url):
        print(f"redis: answering at {url}")
        return
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
    procs.append(subprocess.Popen([binary, "--port", port, "--bind", "127.0.0.1", "--save", "",
                                   "--appendonly", "no", "--dir", str(run_dir())],
                                  stdout=open(log_dir() / "redis.log", "ab"), stderr=subprocess.STDOUT))
    for _ in range(100):
        if redis_answers(url):
            print(f"redis: started redis-server on port {port}")
            return
        time.sleep(0.1)
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


def run(host: str = "127.0.0.1", port: int = 8000) -> int:
    """Run everything in the foreground until Ctrl-C (or `jobcast stop`)."""
    os.chdir(ROOT)
    logs, rundir = log_dir(), run_dir()
    logs.mkdir(parents=True, exist_ok=True)
    rundir.mkdir(parents=True, exist_ok=True)
    write_pidfile(rundir / RUN_PIDFILE)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(_fresh_metrics_dir()))
    ensure_env_file()
    from project.environment import env

    redis_url = env.str("REDIS_URL", "redis://127.0.0.1:6379/0")
    procs: list[subprocess.Popen] = []
    try:
        ensure_redis(redis_url, procs)
        manage("migrate", "--noinput")
        manage("collectstatic", "--noinput", "-v", "0")
        user, password = "demo", os.environ["JOBCAST_DEMO_PASSWORD"]
        subprocess.run([sys.executable, "manage.py", "ensure_user", user, password, "--staff"],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        commands = {
            "web": [sys.executable, "-m", "daphne", "-b", host, "-p", str(port), "asgi:application"],
            "worker": [sys.executable, "-m", "celery", "-A", "project", "worker", "-l", "info",
                       "-n", "all@%h", "--pidfile", str(worker_pidfile("all"))],
            "beat": [sys.executable, "-m", "celery", "-A", "project", "beat", "-l", "info",
                     "--pidfile", str(rundir / "beat.pid"), "-s", str(rundir / "celerybeat-schedule")],
        }
        for name, cmd in commands.items():
            log = open(logs / f"{name}.log", "ab")
            procs.append(subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
        print(f"\n  Jobcast is running at http://{host}:{port}/\n"
              f"  log in as {user} / {password}  (admin: http://{host}:{port}/admin/)\n"
              f"  logs: {logs}/{{web,worker,beat}}.log   metrics: http://{host}:{port}/metrics\n"
              f"  Ctrl-C (or `jobcast stop` from another terminal) stops everything.\n")
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        dead = [p.args for p in procs if p.poll() is not None]
        print(f"a process exited: {dead}; stopping the rest (see logs/)")
        return 1
    except KeyboardInterrupt:
        print("\nstopping …")
        return 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
        (rundir / RUN_PIDFILE).unlink(missing_ok=True)
