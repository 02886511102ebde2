"""Awareness knowledge base: one sourced, reviewed YAML entry per topic (data, not code)."""
