"""Chung Tay: shared settings, command line and process supervisor."""
