"""Benchmarks of the crawler against the local fixture site (``python -m bench.run``)."""
