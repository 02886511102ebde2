"""Routing: the outbox worker that alerts on-duty staff, retries, and escalates."""
