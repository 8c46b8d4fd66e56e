"""What every benchmark prints and keeps: machine facts, percentiles, a table, a JSON file."""
from __future__ import annotations

import json
import os
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bench.latency import summary_ms  # noqa: F401  (re-exported: one definition of the percentiles)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def machine() -> dict[str, Any]:
    """Cores, memory and Python of this host: figures mean nothing without them."""
    return {"cores": os.cpu_count(), "python": platform.python_version(),
            "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
            "load_avg_at_start": [round(x, 2) for x in os.getloadavg()]}


def header(name: str) -> dict[str, Any]:
    """The fields that open every result file."""
    return {"benchmark": name, "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "machine": machine(), "command": " ".join([f"python -m bench.{name}", *sys.argv[1:]])}


def ratio(a: float, b: float) -> float | None:
    """a / b rounded, or None when b is zero or missing (no division by zero in reports)."""
    return round(a / b, 2) if b else None


def print_table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    """A plain fixed-width table on stdout."""
    cells = [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(col), *(len(r[i]) for r in cells)) if cells else len(col) for i, col in enumerate(columns)]
    print(f"\n{title}")
    print("  ".join(col.rjust(w) if i else col.ljust(w) for i, (col, w) in enumerate(zip(columns, widths))))
    for row in cells:
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))))


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.1f}"
    if value is None:
        return "-"
    return str(value)


def write_json(name: str, results: dict[str, Any], out_dir: Path | None = None) -> Path:
    """bench/results/<name>-<timestamp>.json (gitignored), or `out_dir` for smoke runs."""
    directory = out_dir or RESULTS
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(results, indent=2, default=str))
    print(f"written {path}")
    return path
