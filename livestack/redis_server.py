"""A private redis-server on a free port, so tests never touch anyone else's data."""
from __future__ import annotations

import atexit
import shutil
import socket
import subprocess
import tempfile
import time

import redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """Start with `RedisServer.start()`; `url` is where it answers; stopped at exit."""

    def __init__(self, port: int, proc: subprocess.Popen, workdir: str, host: str = "127.0.0.1") -> None:
        self.port, self.proc, self.workdir = port, proc, workdir
        self.address(host, port)

    def address(self, host: str, port: int) -> None:
        """Where clients reach it (a relay in front of it, livestack/netns.py, moves this)."""
        self.host, self.port = host, port
        self.url = f"redis://{host}:{port}/0"

    @classmethod
    def start(cls, port: int | None = None, *, bind: str = "127.0.0.1", wrap: tuple[str, ...] = (),
              wait: bool = True) -> "RedisServer":
        """`wrap` prefixes the command (`ip netns exec <ns>`: Redis on a test host of its own)."""
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        port = port or free_port()
        workdir = tempfile.mkdtemp(prefix="jobcast-redis-")
        proc = subprocess.Popen(
            [*wrap, binary, "--port", str(port), "--bind", bind, "--save", "", "--appendonly", "no",
             "--dir", workdir, "--maxclients", "10000"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        server = cls(port, proc, workdir, bind)
        if wait:
            server.wait_ready()
        atexit.register(server.stop)
        return server

    def wait_ready(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                redis.Redis(host=self.host, port=self.port, socket_timeout=1).ping()
                return
            except redis.exceptions.ConnectionError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"redis-server on port {self.port} exited with {self.proc.returncode}") from None
                time.sleep(0.05)
        raise RuntimeError(f"redis-server on port {self.port} did not answer within {timeout}s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def restart(self) -> None:
        """Stop and start again on the same port (chaos tests)."""
        self.stop()
        fresh = RedisServer.start(self.port)
        self.proc, self.workdir = fresh.proc, fresh.workdir
