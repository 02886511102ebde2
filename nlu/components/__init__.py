"""Rasa 3.6 recipe components (imported only inside .venv-rasa)."""
