"""Benchmarks that print figures (make bench-*); not part of make test."""
