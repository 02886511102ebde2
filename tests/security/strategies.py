"""Hypothesis strategies for hostile input: odd Unicode, broken JSON, bytes that are not UTF-8."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Bounded: the whole security suite must stay quick on two shared cores.
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ODD_PIECES = [
    "cứu tôi với",
    unicodedata.normalize("NFD", "Tôi bị lừa sang Campuchia"),  # combining marks
    "cu\u200bu t\u200doi",  # zero-width space / joiner
    "\ufeffxin chào",  # byte-order mark
    "\u202eiốt uđ\u202c",  # right-to-left override
    "مرحبا שלום",  # right-to-left scripts
    "\x00",  # NUL: PostgreSQL text cannot hold it
    "\ud800",  # a lone surrogate: valid in JSON escapes, not encodable as UTF-8
    "\udfff\ud83d",
    "😀👨‍👩‍👧",
    "A\u0301\u0302\u0303\u0323" * 20,  # stacked combining marks
    "\r\n\t",
    "%00%ff",
]

odd_text = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(ODD_PIECES), min_size=1, max_size=6).map("".join),
    st.text(alphabet=st.characters(codec=None, categories=["Cs", "Cf", "Mn", "Zl", "Zp", "Cc"])),
)
# What a form field can carry: UTF-8 encodable (httpx encodes forms), but NUL and controls are fine.
form_text = odd_text.map(lambda s: s.encode("utf-8", "replace").decode("utf-8", "replace"))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | odd_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(odd_text, inner, max_size=4),
    max_leaves=12,
)


def dump(value: Any) -> bytes:
    """JSON as a client would send it; lone surrogates go out as \\ud800 escapes."""
    return json.dumps(value, ensure_ascii=True).encode()


broken_bodies = st.one_of(
    st.binary(max_size=300),  # mostly not UTF-8, never JSON
    st.sampled_from([b"", b"{", b"[]", b"null", b'"x"', b"{]", b"\xff\xfe{}", b'{"a":"\xc3"}']),
    json_values.map(dump),
)
