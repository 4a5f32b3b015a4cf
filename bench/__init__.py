"""Benchmark harness: each ``bench/bench_*.py`` module measures one target as a ratio against a
baseline timed in the same run, and prints JSON. ``python -m bench all`` runs them all."""
