#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter for .venv-rasa (Rasa 3.6 needs exactly 3.10).
# Order: $PYTHON310, python3.10 on PATH, pyenv's newest 3.10.x install.
set -euo pipefail
is310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; }
if [ -n "${PYTHON310:-}" ]; then
  if is310 "$PYTHON310"; then echo "$PYTHON310"; exit 0; fi
  echo "PYTHON310=$PYTHON310 is not a Python 3.10 interpreter" >&2; exit 1
fi
if command -v python3.10 >/dev/null 2>&1 && is310 "$(command -v python3.10)"; then
  command -v python3.10; exit 0
fi
if command -v pyenv >/dev/null 2>&1; then
  for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.[0-9]+)?$' | sort -t. -k3 -n -r); do
    candidate="$(pyenv prefix "$v")/bin/python"
    if is310 "$candidate"; then echo "$candidate"; exit 0; fi
  done
fi
cat >&2 <<'MSG'
Python 3.10 was not found. Rasa Open Source 3.6.21 runs only on Python 3.10.
Install it (e.g. `pyenv install 3.10.13`, or your distribution's python3.10 package)
or point PYTHON310 at an interpreter: `make setup PYTHON310=/path/to/python3.10`.
MSG
exit 1
