"""Load-test figures: request counts, failures and latency percentiles, cumulative and per second.

Latencies go into a histogram rounded like Locust's (exact below 100 ms, then 2 significant
digits), so memory stays bounded however long the test runs and percentiles match Locust's.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


def rounded_ms(ms: float) -> int:
    """Locust's histogram key: 1 ms steps below 100, 10 below 1,000, then 100."""
    value = int(round(ms))
    if value < 100:
        return value
    if value < 1000:
        return int(round(value, -1))
    if value < 10000:
        return int(round(value, -2))
    return int(round(value, -3))


def percentile(histogram: Counter, count: int, fraction: float) -> float | None:
    """The smallest latency at or below which `fraction` of the requests fall."""
    if not count:
        return None
    wanted = count * fraction
    seen = 0
    for key in sorted(histogram):
        seen += histogram[key]
        if seen >= wanted:
            return float(key)
    return float(max(histogram))


@dataclass
class Figures:
    """Counts and latencies of a set of requests (one name, all names, or one second)."""

    requests: int = 0
    failures: int = 0
    total_ms: float = 0.0
    min_ms: float | None = None
    max_ms: float | None = None
    histogram: Counter = field(default_factory=Counter)

    def add(self, elapsed_ms: float, failed: bool) -> None:
        self.requests += 1
        self.failures += int(failed)
        self.total_ms += elapsed_ms
        self.min_ms = elapsed_ms if self.min_ms is None else min(self.min_ms, elapsed_ms)
        self.max_ms = elapsed_ms if self.max_ms is None else max(self.max_ms, elapsed_ms)
        self.histogram[rounded_ms(elapsed_ms)] += 1

    def latency(self) -> dict[str, float | None]:
        def pct(f: float) -> float | None:
            return percentile(self.histogram, self.requests, f)

        return {"p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
                "avg_ms": round(self.total_ms / self.requests, 1) if self.requests else None,
                "min_ms": _r(self.min_ms), "max_ms": _r(self.max_ms)}


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


class LoadStats:
    """Everything a load test measured; `second()` closes the current one-second window."""

    def __init__(self) -> None:
        self.total = Figures()
        self.by_name: dict[tuple[str, str], Figures] = {}
        self.window = Figures()
        self.errors: Counter = Counter()
        self.series: list[dict[str, Any]] = []

    def record(self, *, name: str, method: str, elapsed_ms: float, failed: bool, error: str | None = None) -> None:
        self.total.add(elapsed_ms, failed)
        self.window.add(elapsed_ms, failed)
        self.by_name.setdefault((method, name), Figures()).add(elapsed_ms, failed)
        if error:
            self.errors[f"{method} {name}: {error}"] += 1

    def second(self, *, t: float, users: int, interval_s: float) -> dict[str, Any]:
        """Close the window of the last `interval_s` seconds and append it to the series."""
        window, self.window = self.window, Figures()
        point = {"t": round(t, 2), "users": users,
                 "requests": self.total.requests, "failures": self.total.failures,
                 "rps": round(window.requests / interval_s, 2) if interval_s else 0.0,
                 "fps": round(window.failures / interval_s, 2) if interval_s else 0.0,
                 **{k: window.latency()[k] for k in ("p50_ms", "p95_ms", "p99_ms")}}
        self.series.append(point)
        return point

    def table(self, elapsed_s: float) -> list[dict[str, Any]]:
        """Per request name, like Locust's statistics table."""
        rows = []
        for (method, name), fig in sorted(self.by_name.items(), key=lambda item: item[0][1]):
            rows.append({"name": name, "method": method, "requests": fig.requests, "failures": fig.failures,
                         "rps": round(fig.requests / elapsed_s, 2) if elapsed_s else 0.0, **fig.latency()})
        return rows

    def stats(self, elapsed_s: float) -> dict[str, Any]:
        """The run's totals (docs/api.md `stats`)."""
        return {"requests": self.total.requests, "failures": self.total.failures,
                "rps": round(self.total.requests / elapsed_s, 2) if elapsed_s else 0.0,
                "fail_ratio": round(self.total.failures / self.total.requests, 4) if self.total.requests else 0.0,
                **self.total.latency()}
