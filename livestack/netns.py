"""A Jobcast stack spread over test hosts: network namespaces on one bridge, links that can be cut.

`NetnsStack` is a `LiveStack` whose redis-server, daphnes and Celery workers each run in a
network namespace of their own (`ip netns exec`), joined to the root namespace by a veth pair
on one bridge. Each process gets its own namespace because the faults are per process: one
worker's link cut (`ip link set <its veth> down`, the switch port going dark), one daphne's
route to Redis blackholed, Redis's answers delayed 50 ms.

- The database is PostgreSQL (a fresh database on $DATABASE_URL's server), reached through a
  relay on the bridge (livestack/tcp_relay.py): a cut link cuts a worker from it too, as on
  separate hosts. A SQLite file would stay reachable through the shared filesystem.
- The delay is `tc qdisc … netem` on Redis's link where the kernel has sch_netem, else a relay
  in Redis's namespace that holds Redis's answers back (the same effect on every client).
- Everything is named `jcmh<pid>-…` / `jm<pid>…`; `Network()` first removes what a killed
  earlier run (a dead pid) left, and `stop()` removes this run's, processes included.

Root only. `unavailable()` says why not, for a clean skip.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from livestack import procstat
from livestack.redis_server import RedisServer
from livestack.stack import ROOT, LiveStack

NS_PREFIX, LINK_PREFIX = "jcmh", "jm"
REDIS_PORT, PG_PORT, DAPHNE_PORT = 6379, 5432, 8001


def ip(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=30)
    if check and done.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)}: {done.stderr.strip()}")
    return done


def unavailable() -> str | None:
    """Why namespaces cannot be built here (None when they can)."""
    if os.geteuid() != 0:
        return "needs root to build network namespaces"
    if not shutil.which("ip"):
        return "iproute2 is not installed (apt-get install iproute2)"
    probe = f"{NS_PREFIX}{os.getpid()}-probe"
    made = ip("netns", "add", probe, check=False)
    if made.returncode != 0:
        return f"`ip netns add` is refused here: {made.stderr.strip()}"
    ip("netns", "del", probe, check=False)
    return None


def netem_available() -> bool:
    """Whether this kernel has sch_netem (a Firecracker VM's may not)."""
    probe = f"{NS_PREFIX}{os.getpid()}-netem"
    ip("netns", "add", probe)
    try:
        done = subprocess.run(["ip", "netns", "exec", probe, "tc", "qdisc", "add", "dev", "lo", "root", "netem",
                               "delay", "1ms"], capture_output=True, timeout=30)
        return done.returncode == 0
    finally:
        ip("netns", "del", probe, check=False)


def _alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def _kill_namespace(ns: str) -> None:
    """SIGKILL whatever still runs in `ns`, then delete it (its veth ends go with it)."""
    for pid in ip("netns", "pids", ns, check=False).stdout.split():
        try:
            os.kill(int(pid), 9)
        except (ProcessLookupError, ValueError):
            pass
    ip("netns", "del", ns, check=False)


def remove_stale() -> list[str]:
    """Namespaces and links of earlier runs whose process is gone (never a live run's)."""
    removed = []
    for line in ip("netns", "list").stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        found = re.match(rf"{NS_PREFIX}(\d+)[a-z]?-", name)
        if found and not _alive(int(found[1])):
            _kill_namespace(name)
            removed.append(name)
    for line in ip("-o", "link", "show").stdout.splitlines():
        found = re.match(r"\d+: (j[mp](\d+)[a-z0-9]+)[@:]", line)  # our bridge ports and peers
        if found and not _alive(int(found[2])):
            ip("link", "del", found[1], check=False)
            removed.append(found[1])
    return removed


@dataclass
class Host:
    """One test host: a namespace, its address on the bridge and its switch port (root-side veth)."""

    role: str
    ns: str
    ip: str
    port: str

    @property
    def wrap(self) -> tuple[str, ...]:
        return ("ip", "netns", "exec", self.ns)


class Network:
    """A bridge in the root namespace (its address is `gateway`) and hosts attached to it."""

    made = 0  # networks of this process so far: a letter in the names keeps two apart

    def __init__(self) -> None:
        self.tag = f"{os.getpid()}{chr(ord('a') + Network.made % 26)}"
        Network.made += 1
        self.stale_removed = remove_stale()
        self.hosts: list[Host] = []
        used = ip("-4", "-o", "addr").stdout
        third = next(n for n in range(os.getpid() % 200, 400) if f"10.213.{n % 250}." not in used) % 250
        self.subnet = f"10.213.{third}"
        self.gateway = f"{self.subnet}.1"
        self.bridge = f"{LINK_PREFIX}{self.tag}br"
        ip("link", "add", self.bridge, "type", "bridge")
        ip("addr", "add", f"{self.gateway}/24", "dev", self.bridge)
        ip("link", "set", self.bridge, "up")

    def add_host(self, role: str) -> Host:
        host = Host(role, f"{NS_PREFIX}{self.tag}-{role}", f"{self.subnet}.{len(self.hosts) + 2}",
                    f"{LINK_PREFIX}{self.tag}{role}")
        self.hosts.append(host)
        peer = f"jp{self.tag}{role}"
        ip("netns", "add", host.ns)
        ip("link", "add", host.port, "type", "veth", "peer", "name", peer)
        ip("link", "set", peer, "netns", host.ns)
        ip("link", "set", host.port, "master", self.bridge, "up")
        ip("-n", host.ns, "link", "set", peer, "name", "eth0")
        ip("-n", host.ns, "addr", "add", f"{host.ip}/24", "dev", "eth0")
        ip("-n", host.ns, "link", "set", "eth0", "up")
        ip("-n", host.ns, "link", "set", "lo", "up")
        return host

    def cut(self, host: Host) -> None:
        """The host's switch port goes dark: its packets are dropped both ways, sockets hang."""
        ip("link", "set", host.port, "down")

    def mend(self, host: Host) -> None:
        ip("link", "set", host.port, "up")

    def blackhole(self, host: Host, address: str) -> None:
        """`host` loses its route to `address` only (silently dropped); the rest still answers."""
        ip("-n", host.ns, "route", "add", "blackhole", f"{address}/32")

    def unblackhole(self, host: Host, address: str) -> None:
        ip("-n", host.ns, "route", "del", "blackhole", f"{address}/32")

    def netem(self, host: Host, delay_ms: int | None) -> None:
        """`tc qdisc … netem delay` on the host's link (None removes it)."""
        args = ["add", "dev", "eth0", "root", "netem", "delay", f"{delay_ms}ms"] if delay_ms else \
            ["del", "dev", "eth0", "root"]
        subprocess.run([*host.wrap, "tc", "qdisc", *args], check=True, capture_output=True, timeout=30)

    def teardown(self) -> None:
        for host in self.hosts:
            # Deleting our end takes the pair down at once; a deleted namespace's own links go
            # only when the kernel gets round to destroying it.
            ip("link", "del", host.port, check=False)
            _kill_namespace(host.ns)
        ip("link", "del", self.bridge, check=False)


class NetnsStack(LiveStack):
    """Redis, `daphnes` daphnes and `workers` workers, each on a test host of its own."""

    def __init__(self, *, workers: int = 2, daphnes: int = 2, concurrency: int = 2, database_url: str,
                 env: dict[str, str] | None = None, visibility_timeout_s: int = 10) -> None:
        if not database_url.startswith(("postgres://", "postgresql://")):
            raise ValueError("NetnsStack needs a PostgreSQL DATABASE_URL (a SQLite file cannot be cut off)")
        self.net = Network()
        self.relays: list[subprocess.Popen] = []
        self._delay_file = Path(tempfile.mkstemp(prefix="jobcast-redis-delay-")[1])
        try:
            self.redis_host = self.net.add_host("redis")
            self.web_hosts = [self.net.add_host(f"web{i + 1}") for i in range(daphnes)]
            self.work_hosts = [self.net.add_host(f"work{i + 1}") for i in range(workers)]
            self.netem = netem_available()
            redis = self._start_redis()
            db = urlsplit(database_url)
            self._relay((self.net.gateway, PG_PORT), (db.hostname or "127.0.0.1", db.port or 5432))
            allowed = ",".join(["localhost", "127.0.0.1", *(h.ip for h in self.web_hosts)])
            super().__init__(workers=workers, daphnes=daphnes, concurrency=concurrency, redis=redis,
                             database_url=database_url,
                             env={"DJANGO_ALLOWED_HOSTS": allowed, "JOBCAST_TEST_VISIBILITY_TIMEOUT_S":
                                  str(visibility_timeout_s), **(env or {})})
            self.env["DJANGO_SETTINGS_MODULE"] = "livestack.netns_settings"
            parts = urlsplit(self.env["DATABASE_URL"])
            netloc = parts.netloc.rpartition("@")[0]
            self.env["DATABASE_URL"] = urlunsplit(parts._replace(
                netloc=f"{netloc + '@' if netloc else ''}{self.net.gateway}:{PG_PORT}"))
        except BaseException:
            self._teardown_network()
            raise

    def _relay(self, listen: tuple[str, int], target: tuple[str, int], wrap: tuple[str, ...] = (),
               delay: bool = False) -> None:
        cmd = [*wrap, sys.executable, "-m", "livestack.tcp_relay", f"{listen[0]}:{listen[1]}",
               f"{target[0]}:{target[1]}", *(["--delay-file", str(self._delay_file)] if delay else [])]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.relays.append(proc)
        line = proc.stdout.readline() if proc.stdout else ""
        if "ready" not in line:
            raise RuntimeError(f"relay {listen} -> {target} did not start: {line}")

    def _start_redis(self) -> RedisServer:
        host = self.redis_host
        if self.netem:
            return RedisServer.start(REDIS_PORT, bind=host.ip, wrap=host.wrap)
        # No netem: Redis answers on its own loopback, and a relay on its link delays the answers.
        server = RedisServer.start(REDIS_PORT, wrap=host.wrap, wait=False)
        self._relay((host.ip, REDIS_PORT), ("127.0.0.1", REDIS_PORT), host.wrap, delay=True)
        server.address(host.ip, REDIS_PORT)
        server.wait_ready()
        return server

    def start(self) -> "NetnsStack":
        try:
            self._prepare()
            # A worker cut off mid-transaction would hold the job's row lock until TCP gives up
            # (hours); PostgreSQL ends such a session after 5 s, as a production setting should.
            self._pg_admin(self._pg_url, f"ALTER DATABASE \"{self.pg_db}\" SET idle_in_transaction_session_timeout = '5s'")
            spawned = [self._spawn_daphne(DAPHNE_PORT + i, host.ip, host.wrap) for i, host in enumerate(self.web_hosts)]
            for i, host in enumerate(self.work_hosts):
                self.start_worker(f"w{i + 1}", wrap=host.wrap)
            for proc, port in spawned:
                self._wait_daphne(proc, port)
            self.wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    # --- faults -----------------------------------------------------------------------------

    def cut_worker(self, index: int) -> None:
        self.net.cut(self.work_hosts[index])

    def mend_worker(self, index: int) -> None:
        self.net.mend(self.work_hosts[index])

    def cut_daphne_from_redis(self, index: int) -> None:
        self.net.blackhole(self.web_hosts[index], self.redis_host.ip)

    def mend_daphne(self, index: int) -> None:
        self.net.unblackhole(self.web_hosts[index], self.redis_host.ip)

    def redis_delay(self, ms: int | None) -> str:
        """Delay Redis's answers by `ms` (None: no delay); returns how ("tc netem" or "relay")."""
        if self.netem:
            self.net.netem(self.redis_host, ms)
            return "tc netem"
        self._delay_file.write_text(str(ms or ""))
        return "relay (this kernel has no sch_netem)"

    def worker_of(self, pid: int) -> int | None:
        """Which worker (index) a pool process belongs to."""
        for i, proc in enumerate(self.workers):
            if pid in procstat.descendants(proc.pid):
                return i
        return None

    def stop(self) -> None:
        try:
            super().stop()
        finally:
            self._teardown_network()

    def _teardown_network(self) -> None:
        for relay in self.relays:
            if relay.poll() is None:
                relay.kill()
            relay.wait(10)
        self.relays.clear()
        self.net.teardown()
        self._delay_file.unlink(missing_ok=True)

