"""A tokenizer whose tokens keep the writer's text and carry the folded form as their lemma.

A CountVectorsFeaturizer with ``use_lemma: true`` then sees "bi lua" for both "bị lừa" and "bi lua"
(and for the NFD and teencode spellings), while one with ``use_lemma: false`` keeps the accents.
Token text is the NFC lower-cased word.
Token offsets always index the text Rasa received, so entity offsets stay valid even for NFD input.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from nlu.components.source_fingerprint import source_digest
from nlu.normalize import EMOJI_WORDS, fold_token, nfc

# Words (combining marks stay attached so NFD words are not split), or a meaningful emoji.
_WORD = re.compile(r"[\w\u0300-\u036f]+|[" + "".join(EMOJI_WORDS) + "]")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class VietnameseTokenizer(Tokenizer):
    """Whitespace/punctuation tokenizer with diacritic-free, teencode-expanded lemmas."""

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        # Rasa's cache key leaves out our code: a change to it must retrain (see module).
        return source_digest("normalize.py", "components/tokenizer.py")

    @staticmethod
    def not_supported_languages() -> list[str] | None:
        return None

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: Any, resource: Any, execution_context: Any
    ) -> VietnameseTokenizer:
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute) or ""
        tokens: list[Token] = []
        matches = list(_WORD.finditer(text))
        for index, match in enumerate(matches):
            raw = match.group(0)
            following = matches[index + 1].group(0) if index + 1 < len(matches) else None
            lemma = EMOJI_WORDS[raw].strip() if raw in EMOJI_WORDS else fold_token(raw, following)
            # Lower-case text: upper-case messages must not look different to the
            # LexicalSyntacticFeaturizer; offsets still index the received text.
            tokens.append(Token(nfc(raw).lower(), match.start(), match.end(), lemma=lemma or raw))
        if not tokens:
            # Only punctuation or unknown symbols: one token, as Rasa's own tokenizers do.
            tokens = [Token(text, 0, len(text), lemma=text)]
        return self._apply_token_pattern(tokens)
