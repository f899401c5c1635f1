"""Benchmarks: scripts run by `make bench`, each writing its figures into docs/performance.md."""
