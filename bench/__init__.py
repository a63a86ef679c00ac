"""Benchmarks for `make bench`: figures printed next to their targets, never asserted.

`bench/run.py` is the entry point; `bench/benchmarks.py` registers the benchmarks;
`bench/worker.py` is the Django side, run in a subprocess per database."""
