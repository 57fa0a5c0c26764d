"""`python -m bench.pairs` keeps working: variants are read strictly, every variant runs once per
round in the order given, with its own environment, and each run's figures are produced and sane.

Sane, not fast: nothing here depends on the machine's speed. Node.js and the npm registry are
required, as for the quick benchmark (tests/bench/test_bench_smoke.py): without them this fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.pairs import Variant, parse_args, parse_variant, round_ratios

ROOT = Path(__file__).resolve().parents[2]
RUN_LIMIT_S = 300


def test_a_variant_is_a_name_a_server_kind_and_its_environment() -> None:
    assert parse_variant("w0=ardoise:ARDOISE_MERGE_WINDOW_MS=0,ARDOISE_LOG_LEVEL=info") == Variant(
        "w0", "ardoise", {"ARDOISE_MERGE_WINDOW_MS": "0", "ARDOISE_LOG_LEVEL": "info"}
    )
    assert parse_variant("hp=hocuspocus") == Variant("hp", "hocuspocus", {})


def test_a_variant_may_run_the_server_of_another_clone(tmp_path: Path) -> None:
    assert parse_variant(f"before=ardoise@{ROOT}:ARDOISE_LOG_LEVEL=info") == Variant(
        "before", "ardoise", {"ARDOISE_LOG_LEVEL": "info"}, ROOT
    )
    with pytest.raises(ValueError, match="not a clone of Ardoise"):
        parse_variant(f"before=ardoise@{tmp_path}")


@pytest.mark.parametrize(
    "spec",
    [
        "ardoise",
        "=ardoise",
        "w0=",
        "w0=caddy",
        "w0=ardoise:ARDOISE_MERGE_WINDOW_MS",
        "w0=ardoise:=1",
        "h=hocuspocus@.",
    ],
)
def test_a_malformed_variant_is_refused_with_its_text(spec: str) -> None:
    with pytest.raises(ValueError, match="variant"):
        parse_variant(spec)


def test_ratios_are_taken_within_each_round() -> None:
    rows = [
        {"variant": "a", "round": 0, "cpu": 10.0},
        {"variant": "b", "round": 0, "cpu": 12.0},
        {"variant": "a", "round": 1, "cpu": 20.0},
        {"variant": "b", "round": 1, "cpu": 18.0},
        {"variant": "b", "round": 2, "cpu": 5.0},  # its round's "a" failed: no ratio
    ]
    assert round_ratios(rows, "b", "a", "cpu") == [1.2, 0.9]


@pytest.mark.parametrize(
    "argv",
    [
        ["a=ardoise"],
        ["a=ardoise", "a=hocuspocus"],
        ["a=ardoise", "b=ardoise", "--rounds", "0"],
        ["a=ardoise", "b=ardoise", "--joins", "-1"],
    ],
)
def test_one_variant_twice_the_same_name_or_no_round_is_a_usage_error(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        parse_args(argv)
    assert stopped.value.code == 2


def run_pairs(out: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """`python -m bench.pairs ARGS --json OUT` to its end: its output and its JSON report."""
    command = [sys.executable, "-m", "bench.pairs", *args, "--json", str(out)]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=RUN_LIMIT_S, check=False
    )
    if done.returncode == 2:
        pytest.fail(f"bench.pairs needs Node.js >= 20, npm and the npm registry:\n{done.stderr}")
    assert done.returncode == 0, done.stderr[-8000:]
    report: dict[str, Any] = json.loads(out.read_text())
    return done, report


def test_alternated_runs_of_two_settings_produce_every_figure(tmp_path: Path) -> None:
    done, report = run_pairs(
        tmp_path / "pairs.json",
        "window=ardoise",
        "nowindow=ardoise:ARDOISE_MERGE_WINDOW_MS=0",
        *("--rounds", "1", "--participants", "10", "--rate", "10"),
        *("--seconds", "2", "--warmup", "1", "--apply-every", "20"),
    )
    assert report["applyEveryMs"] == 20
    runs = report["runs"]
    assert [run["variant"] for run in runs] == ["window", "nowindow"]
    # Each server process started with its variant's environment (as its settings read it).
    assert runs[0]["fanout"].startswith("updates merged over 4 ms")
    assert runs[1]["fanout"] == "each update sent once applied (merge window off)"
    for run in runs:
        assert run["lost"] == 0 and run["failedWrites"] == 0, run
        assert run["cpuMsPer1000"] > 0, run
        assert 0 < run["fanoutP50"] <= run["fanoutP99"], run
        assert 0 < run["ackP50"] <= run["ackP99"], run
        assert run["medianSecondP99"] > 0, run
        assert 0 < run["loadgenBusiest"] <= 1, run
    for name in ("window", "nowindow"):
        assert f"{name}: ardoise" in done.stdout
    assert "ARDOISE_MERGE_WINDOW_MS=0" in done.stdout
    assert "x window: " in done.stdout  # the second variant's figures over the first's, by round


def test_join_bursts_of_two_servers_produce_their_figures(tmp_path: Path) -> None:
    done, report = run_pairs(
        tmp_path / "joins.json",
        "a=ardoise",
        "h=hocuspocus",
        *("--rounds", "1", "--participants", "10", "--joins", "2"),
    )
    assert report["joinBursts"] == 2
    runs = report["runs"]
    assert [run["variant"] for run in runs] == ["a", "h"]
    for run in runs:
        assert len(run["bursts"]) == 2, run  # the warm-up burst is not counted
        assert all(ms > 0 for ms in run["bursts"]), run
        assert min(run["bursts"]) <= run["joinAllMs"] <= max(run["bursts"]), run
        assert run["joinCpuMs"] > 0, run
    assert "all joined at once (median burst), ms" in done.stdout
    assert "x a: " in done.stdout
