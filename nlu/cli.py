"""`chungtay triage`: triage a JSONL file with the real trained pipeline.

Without ``--server`` it runs ``.venv-rasa/bin/python -m nlu.triage_cli`` (model loaded once, the
same processor the server uses); with ``--server URL`` it parses through a running Rasa server's
``/model/parse``. Either way the text is NFC-normalised first, as the gateway does.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from nlu.normalize import nfc
from nlu.triage_cli import read_records, result_line


def register(subparsers: Any) -> None:
    triage = subparsers.add_parser("triage", help="triage JSONL messages with the trained NLU")
    triage.add_argument("--input", required=True, help='JSONL lines {"id": ..., "text": ...}')
    triage.add_argument("--output", required=True, help="JSONL to write, one line per input line")
    triage.add_argument("--model", help="model archive or directory (default: the current model)")
    triage.add_argument("--server", help="parse through a running Rasa server at this URL")
    triage.set_defaults(handler=triage_command)


def _root() -> Path:
    return Path(__file__).resolve().parent.parent


def _default_model(root: Path) -> Path:
    from chungtay.settings import get_settings
    from chungtay.training import model_path

    settings = get_settings()
    current = model_path(root, settings.model_dir)
    if current.exists():
        return current
    directory = (
        settings.model_dir if settings.model_dir.is_absolute() else root / settings.model_dir
    )
    return directory  # triage_cli picks the newest archive there, or says none exists


def triage_with_server(args: argparse.Namespace) -> int:
    import httpx

    with open(args.input, encoding="utf-8") as handle:
        records = read_records(handle)
    from chungtay.settings import get_settings

    url = args.server.rstrip("/") + "/model/parse"
    # Rasa's HTTP API (`--auth-token`) reads its token from the query string only.
    token = {"token": get_settings().rasa_auth_token}
    with httpx.Client(timeout=30.0) as client, open(args.output, "w", encoding="utf-8") as out:
        for record in records:
            response = client.post(url, params=token, json={"text": nfc(record["text"])})
            response.raise_for_status()
            line = result_line(record.get("id"), response.json())
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return 0


def triage_command(args: argparse.Namespace) -> int:
    if args.server:
        return triage_with_server(args)
    root = _root()
    python = root / ".venv-rasa" / "bin" / "python"
    if not python.exists():
        print("`.venv-rasa` is missing: run `make setup` (or pass --server URL)", file=sys.stderr)
        return 2
    model = Path(args.model) if args.model else _default_model(root)
    command = [
        str(python),
        "-m",
        "nlu.triage_cli",
        "--input",
        str(Path(args.input).resolve()),
        "--output",
        str(Path(args.output).resolve()),
        "--model",
        str(model.resolve()),
    ]
    return subprocess.run(command, cwd=root, check=False).returncode
