"""Benchmarks: run by `make bench`, not by the tests; each writes its numbers to docs/."""
