"""Benchmarks and the archive generator they run on."""
