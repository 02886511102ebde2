"""Operator console: the web app hotline staff use to review and act on intakes."""
