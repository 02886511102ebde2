"""Development secrets, generated once so `make run` needs no configuration.

Production never uses this: its profile refuses to start without real secrets in the environment.
"""

from __future__ import annotations

import base64
import logging
import secrets
from pathlib import Path

from chungtay.settings import DEV_SECRETS_FILE, Settings

logger = logging.getLogger(__name__)


def missing_secrets(settings: Settings) -> list[str]:
    names = (
        "encryption_keys",
        "sender_hash_key",
        "console_secret_key",
        "rasa_auth_token",
        "action_server_token",
    )
    return [name for name in names if not getattr(settings, name)]


def ensure_dev_secrets(settings: Settings, path: Path = DEV_SECRETS_FILE) -> bool:
    """Write random secrets for the ones not configured; True when the file was (re)written."""
    missing = missing_secrets(settings)
    if not missing:
        return False
    if settings.profile == "production":
        names = ", ".join(f"CHUNGTAY_{n.upper()}" for n in missing)
        raise SystemExit(f"production profile: set {names} (see .env.example)")
    generated = {
        "encryption_keys": "dev1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "sender_hash_key": secrets.token_hex(32),
        "console_secret_key": secrets.token_hex(32),
        "rasa_auth_token": secrets.token_hex(32),
        "action_server_token": secrets.token_hex(32),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = path.read_text().splitlines() if path.exists() else []
    lines += [f"CHUNGTAY_{name.upper()}={generated[name]}" for name in missing]
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
    # Only the names go to the log, never the values.
    logger.info("generated development secrets %s in %s", ", ".join(missing), path)
    return True
