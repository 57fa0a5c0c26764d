"""Percentiles of raw latency samples (the load generator writes them as float64 files)."""

from __future__ import annotations

import math
from array import array
from pathlib import Path


def read_samples(path: Path) -> list[float]:
    samples = array("d")
    samples.frombytes(path.read_bytes())
    return sorted(samples)


def percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted samples: always one of the samples, and monotonic in p."""
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summarize(ordered: list[float], points: tuple[float, ...]) -> dict[str, float | None]:
    """Percentiles, max and count; None (null in JSON) where there is no sample at all."""
    out: dict[str, float | None] = {
        f"p{point:g}": round(percentile(ordered, point), 3) if ordered else None for point in points
    }
    out["max"] = round(ordered[-1], 3) if ordered else None
    out["count"] = len(ordered)
    return out


def median(values: list[float]) -> float:
    return percentile(sorted(values), 50)
