"""The words a server's model learned, stored with it: they count as the server's words when it serves.

Why: a LoRA trained on a server's corrections learns its words ("Zorblax"), and with them a habit of
coining spellings for any word it does not know. Measured on real recorded speech (shared/notes): a model at
full strength lost 11-13 words in 926 to coined spellings of rare real words. So the trainer stores, with
each model, the words it learned: words of the corrections that the base never wrote on those recordings
and that Whisper's vocabulary does not hold whole (everyday words are not news). When the model serves, its
learned words join the server's terms: a caption keeps one only where the model wrote it with confidence,
and any other unusual word it wrote is checked against the base's own words (combine.py).
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
