"""The source of our NLU code as part of Rasa's training cache key.

Rasa caches each trained graph node under a fingerprint of its config and its inputs, not of a
custom component's code: after a change to how text is folded or augmented (nlu/normalize.py,
nlu/augment.py), `rasa train` in a checkout with a warm `.rasa/cache` reused the old tokens and the
old DIET weights and finished in seconds. A component returns this digest from
``fingerprint_addon`` so that a change to the code it runs retrains what depends on it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

_NLU = Path(__file__).resolve().parent.parent


def source_digest(*relative: str) -> str:
    """sha256 of the named files under nlu/ (e.g. "normalize.py", "components/tokenizer.py")."""
    digest = hashlib.sha256()
    for name in relative:
        digest.update(name.encode())
        digest.update((_NLU / name).read_bytes())
    return digest.hexdigest()
