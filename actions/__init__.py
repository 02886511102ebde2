"""Rasa SDK custom actions, split by concern: urgent, intake, small talk, awareness."""
