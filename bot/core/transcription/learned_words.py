"""A server's model serves the captions that use what it learned; the base serves everything else.

Why: a LoRA trained on a server's corrections learns its words ("Zorblax"), and with them a habit of
coining spellings for any word it does not know. Measured on real recorded speech (shared/notes): a model at
full strength lost 11-13 words in 926 to coined spellings of rare real words, while a model at half strength,
which loses less, learned fewer of the server's words. Both cannot be had from one set of weights.

So the trainer stores, with each model, the words it learned: words of the corrections that the base never
wrote on those recordings and that Whisper's vocabulary does not hold whole (everyday words are not news).
A caption in which the new model uses none of them is transcribed again by the base with the same hint: on
speech without the server's words the server gets the base's own captions, so nothing it did well before
gets worse. A caption that uses a learned word keeps the new model's words. The cost is a second, base,
transcription of a voice note whenever the new model's caption holds no learned word.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable
from pathlib import Path

from bot.core.captions.alignment import normalize_words

LEARNED_WORDS_FILE = "learned_words.json"


def learned_words(
    corrected: Iterable[str], heard: Iterable[str], everyday: Callable[[str], bool]
) -> list[str]:
    """The normalised words of the corrected texts that the base never wrote in `heard` (its own captions
    of the same recordings) and that are not everyday words: what training can teach that the base lacks."""
    said = {w for text in heard for w in normalize_words(text)}
    return sorted(
        {w for text in corrected for w in normalize_words(text) if w not in said and not everyday(w)}
    )


def uses_learned_words(text: str, words: Collection[str]) -> bool:
    return any(w in words for w in normalize_words(text))


def write_learned_words(model_dir: Path, words: Collection[str]) -> None:
    """Store the words with the model (none: the model serves every caption itself, as before)."""
    if words:
        (model_dir / LEARNED_WORDS_FILE).write_text(json.dumps(sorted(words)), encoding="utf-8")


def read_learned_words(model_dir: str | Path) -> frozenset[str]:
    """The words stored with a model; empty for the base, for older models and for an unreadable file."""
    try:
        words = json.loads((Path(model_dir) / LEARNED_WORDS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset()
    return frozenset(str(w) for w in words) if isinstance(words, list) else frozenset()
