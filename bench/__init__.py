"""Ardoise's load benchmark: simulated participants against Ardoise and Hocuspocus, side by side.

Run it with `python -m bench` (see bench/README.md); BENCHMARKS.md holds the method and figures.
"""
