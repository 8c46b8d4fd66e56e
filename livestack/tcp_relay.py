"""A TCP relay with switchable latency: `python -m livestack.tcp_relay LISTEN TARGET [--delay-file F]`.

Two uses in the multi-host test (livestack/netns.py):
- PostgreSQL listens on the host's 127.0.0.1 only; a relay on the test bridge makes it reachable
  from the network namespaces, and a cut link then cuts the database too, as on real hosts.
- This kernel may lack `sch_netem` (`tc qdisc add … netem` answers "Specified qdisc kind is
  unknown"); Redis is then served through a relay whose replies wait `--delay-file`'s
  milliseconds, like `netem delay` on Redis's link (requests go at once, answers are late).
  The delay is read from the file every 100 ms, so a test switches it on and off mid-run.

Order and pipelining are kept: every chunk gets its due time when read and is written then.
The relay exits when its parent does, so a killed test leaves none behind.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import time
from pathlib import Path


class Delay:
    """The current delay in seconds, re-read from a file (missing or empty: none)."""

    def __init__(self, path: Path | None) -> None:
        self.path, self.seconds = path, 0.0

    async def watch(self) -> None:
        parent = os.getppid()
        while True:
            if os.getppid() != parent:  # orphaned: the test that started us is gone
                os._exit(0)
            if self.path is not None:
                try:
                    text = self.path.read_text().strip()
                    self.seconds = float(text) / 1000 if text else 0.0
                except (OSError, ValueError):
                    self.seconds = 0.0
            await asyncio.sleep(0.1)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: Delay | None) -> None:
    queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

    async def send() -> None:
        while True:
            due, data = await queue.get()
            if not data:
                break
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()

    sender = asyncio.create_task(send())
    try:
        while True:
            data = await reader.read(65536)
            queue.put_nowait((time.monotonic() + (delay.seconds if delay else 0.0), data))
            if not data:
                break
        await sender
    except (OSError, asyncio.IncompleteReadError):
        sender.cancel()
    finally:
        with contextlib.suppress(OSError):
            writer.close()


async def serve(listen: tuple[str, int], target: tuple[str, int], delay: Delay) -> None:
    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            server_r, server_w = await asyncio.open_connection(*target)
        except OSError:
            client_w.close()
            return
        # Requests go through at once; answers (and pushed messages) wait the delay.
        await asyncio.gather(_pipe(client_r, server_w, None), _pipe(server_r, client_w, delay),
                             return_exceptions=True)

    server = await asyncio.start_server(handle, *listen, reuse_address=True, backlog=1024)
    print(f"relay {listen[0]}:{listen[1]} -> {target[0]}:{target[1]} ready", flush=True)
    async with server:
        await asyncio.gather(server.serve_forever(), delay.watch())


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host, int(port)


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("listen", type=_address, help="host:port to listen on")
    ap.add_argument("target", type=_address, help="host:port to relay to")
    ap.add_argument("--delay-file", type=Path, default=None, help="milliseconds to delay answers by")
    args = ap.parse_args(argv)
    asyncio.run(serve(args.listen, args.target, Delay(args.delay_file)))


if __name__ == "__main__":
    main(sys.argv[1:])
