"""Terminal views of the command line, drawn with rich: job progress bars, the live monitor, status tables."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console, Group
from rich.live import Live
from rich.measure import Measurement
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.progress_bar import ProgressBar
from rich.table import Table

from apps.ops.client import ApiClient
from project.terminal_language import terminal_translation

_ = terminal_translation("apps/ops").gettext  # the terminal's language (issue 17)

TERMINAL = ("success", "failure", "revoked")
# `jobcast tail` / `submit --follow` exit codes: scripts and CI branch on them.
EXIT_SUCCESS, EXIT_FAILURE, EXIT_REVOKED, EXIT_ERROR = 0, 1, 2, 3
EXIT_CODES = {"success": EXIT_SUCCESS, "failure": EXIT_FAILURE, "revoked": EXIT_REVOKED}
# Measure status tables with room for any content, so no cell is clipped to fit a guess.
UNLIMITED_WIDTH = 10_000


def follow_job(client: ApiClient, job_id: str, console: Console, *, quiet: bool = False) -> int:
    """Draw the job's progress until it ends; the exit code says how it ended (0 success, 1 failure, 2 revoked)."""
    progress = Progress(TextColumn("[bold]{task.fields[label]}"), BarColumn(), TaskProgressColumn(),
                        TimeElapsedColumn(), TextColumn("{task.description}"), console=console,
                        disable=quiet, transient=False)
    final: dict[str, Any] | None = None
    with progress:
        bar = progress.add_task("", total=100, label=job_id[:8])
        for frame in client.job_stream(job_id):
            if frame.get("type") == "snapshot":
                job = frame["job"]
                progress.update(bar, completed=job["progress"], label=f"{job['kind']} {job_id[:8]}",
                                description=job.get("message") or job["status"])
                if job["status"] in TERMINAL:  # already over (its events may be past retention)
                    final = job
                    break
                continue
            if frame.get("type") != "event":
                continue
            progress.update(bar, completed=frame["progress"], description=_line(frame))
            if frame["event"] in ("stage", "log", "retry") and not quiet:
                progress.console.print(f"  {frame['event']:>6}  {_line(frame)}", highlight=False)
            if frame["event"] in TERMINAL:
                final = frame
                break
    job = client.job(job_id)
    status = job["status"] if final is None else final["status"]
    if status == "success":
        console.print("[green]" + _("✔ job %(id)s succeeded") % {"id": job_id} + "[/]  "
                      + _("result: %(result)s") % {"result": json.dumps(job.get("result"))[:2000]},
                      highlight=False)
    elif status == "failure":
        error = job.get("error") or {}
        console.print("[red]" + _("✘ job %(id)s failed") % {"id": job_id} + "[/]  "
                      + f"{error.get('type', '')}: {error.get('message', job['message'])}",
                      highlight=False)
    else:
        console.print("[yellow]" + _("■ job %(id)s %(status)s") % {"id": job_id, "status": status} + "[/]  "
                      + (job["message"] or ""), highlight=False)
    return EXIT_CODES.get(status, EXIT_ERROR)


def _line(event: dict[str, Any]) -> str:
    parts = [event.get("stage") or "", event.get("message") or event["event"]]
    return " · ".join(p for p in parts if p)


# --- monitor ------------------------------------------------------------------------------

@dataclass
class MonitorBoard:
    """Running jobs as the feed reports them; finished ones linger for `linger_s` then leave."""

    linger_s: float = 10.0
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    finished_at: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: {s: 0 for s in TERMINAL})

    def load(self, job: dict[str, Any]) -> None:
        self.jobs[job["id"]] = {k: job.get(k) for k in ("id", "kind", "status", "stage", "progress", "message", "seq")}

    def apply(self, event: dict[str, Any], now: float | None = None) -> None:
        """Fold one feed event into the board (events older than the row's seq are ignored)."""
        row = self.jobs.setdefault(event["job_id"], {"id": event["job_id"], "kind": "?", "seq": 0})
        if event["seq"] <= (row.get("seq") or 0):
            return
        row.update(status=event["status"], stage=event["stage"], progress=event["progress"],
                   message=event["message"], seq=event["seq"])
        if event["event"] in TERMINAL:
            self.finished_at[event["job_id"]] = now if now is not None else time.monotonic()
            self.counts[event["event"]] += 1

    def prune(self, now: float | None = None) -> None:
        now = now if now is not None else time.monotonic()
        for job_id, at in list(self.finished_at.items()):
            if now - at > self.linger_s:
                self.jobs.pop(job_id, None)
                self.finished_at.pop(job_id)

    def render(self) -> Group:
        table = Table(expand=True, title=_("jobcast monitor (Ctrl-C quits)"))
        for column, wide in ((_("job"), False), (_("kind"), False), (_("status"), False), (_("stage"), False),
                             (_("progress"), True), ("%", False), (_("message"), True)):
            table.add_column(column, ratio=3 if wide else None, no_wrap=True)
        colours = {"success": "green", "failure": "red", "revoked": "yellow", "retry": "magenta"}
        for row in sorted(self.jobs.values(), key=lambda r: r["id"]):
            status = row.get("status") or "?"
            table.add_row(row["id"][:8], row.get("kind") or "?", f"[{colours.get(status, 'cyan')}]{status}[/]",
                          row.get("stage") or "", ProgressBar(total=100, completed=row.get("progress") or 0),
                          f"{row.get('progress') or 0:.0f}", row.get("message") or "")
        summary = "  ".join(f"{s}: {n}" for s, n in self.counts.items())
        return Group(table, _("finished since start: %(summary)s") % {"summary": summary})


def monitor(client: ApiClient, console: Console, *, linger_s: float = 10.0, duration: float | None = None) -> int:
    """A live table of running jobs, fed by the `/ws/jobs/` feed (staff tokens see every job)."""
    board = MonitorBoard(linger_s=linger_s)
    for status in ("started", "retry", "pending"):
        for job in client.jobs(status):
            board.load(job)
    deadline = time.monotonic() + duration if duration else None
    with Live(board.render(), console=console, refresh_per_second=4, transient=False) as live:
        try:
            for frame in client.frames("/ws/jobs/"):
                if frame.get("type") == "event":
                    if frame["job_id"] not in board.jobs:
                        board.load(client.job(frame["job_id"]))
                    board.apply(frame)
                    board.prune()
                    live.update(board.render())
                if deadline and time.monotonic() > deadline:
                    break
        except KeyboardInterrupt:
            pass
    return 0


# --- status -------------------------------------------------------------------------------

def print_status(report: dict[str, Any], console: Console) -> None:
    """`jobcast status` as tables: health, workers and their queues, tasks, queues, jobs, kinds."""
    for table in status_tables(report):
        print_unclipped(table, console)


def print_unclipped(table: Table, console: Console) -> None:
    """Print `table` without cutting a cell short (a pipe or an 80-column terminal cut names to "celer…").

    In a pipe every row stays on one line (for grep and files); in a terminal lists may wrap at
    their commas, but names (no-wrap columns) and words stay whole, widening the table if need be.
    """
    measured = Measurement.get(console, console.options.update_width(UNLIMITED_WIDTH), table)
    needed = measured.minimum if console.is_terminal else measured.maximum
    if needed <= console.width:
        console.print(table)
        return
    width = console.width
    console.width = needed
    try:
        console.print(table)
    finally:
        console.width = width


def status_tables(report: dict[str, Any]) -> list[Table]:
    """The tables of `print_status`, in order (those with nothing to show left out)."""
    tables = []
    health = Table(title=_("health"), show_header=False)
    parts = {"database": _("database"), "broker": _("broker"), "channel_layer": _("channel layer"),
             "workers": _("workers")}
    for part, value in report["health"].items():
        health.add_row(parts.get(part, part), "[green]" + _("ok") + "[/]" if value == "ok" else f"[red]{value}[/]")
    tables.append(health)

    workers = Table(title=_("workers (%(alive)d alive)") % {"alive": len(report["workers"])})
    for column in (_("worker"), _("pid"), _("pool"), _("conc."), _("queues"), _("active"), _("reserved"),
                   _("processed"), _("uptime")):
        workers.add_column(column, no_wrap=column != _("queues"))
    for name, w in report["workers"].items():
        workers.add_row(name, str(w["pid"] or ""), w["pool"], str(w["concurrency"] or ""), ", ".join(w["queues"]),
                        str(len(w["active"])), str(len(w["reserved"])), str(w["processed"]),
                        _("%(seconds)ss") % {"seconds": w["uptime_s"]} if w["uptime_s"] is not None else "")
    tables.append(workers)

    tasks = [(name, _("active"), t) for name, w in report["workers"].items() for t in w["active"]] + \
            [(name, _("reserved"), t) for name, w in report["workers"].items() for t in w["reserved"]]
    if tasks:
        table = Table(title=_("tasks"))
        for column in (_("worker"), _("state"), _("task"), _("task id"), _("job")):
            table.add_column(column, no_wrap=True)
        for name, state, t in tasks:
            table.add_row(name, state, t["name"] or "", t["id"] or "", t["job_id"] or "")
        tables.append(table)

    queues = Table(title=_("queues (waiting messages)"))
    queues.add_column(_("queue"), no_wrap=True)
    queues.add_column(_("waiting"), justify="right")
    for queue, length in report["queues"].items():
        queues.add_row(queue, str(length))
    tables.append(queues)

    jobs = Table(title=_("jobs by status"))
    jobs.add_column(_("status"), no_wrap=True)
    jobs.add_column(_("jobs"), justify="right")
    for status, count in sorted(report["jobs"].items()):
        jobs.add_row(status, str(count))
    tables.append(jobs)

    kinds = Table(title=_("registered job kinds"))
    kinds.add_column(_("kind"), no_wrap=True)
    kinds.add_column(_("queue"), no_wrap=True)
    for kind in report["kinds"]:
        kinds.add_row(kind["kind"], kind["queue"])
    tables.append(kinds)

    if report["pidfiles"]:
        pids = Table(title=_("processes started here (pidfiles)"))
        for column in (_("name"), _("pid"), _("alive")):
            pids.add_column(column, no_wrap=True)
        for p in report["pidfiles"]:
            pids.add_row(p["name"], str(p["pid"]), _("yes") if p["alive"] else "[red]" + _("no (stale)") + "[/]")
        tables.append(pids)
    return tables
