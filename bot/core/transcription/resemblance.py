"""Could the base's caption hold one of the server's words? A letter-and-sound likeness of its word windows to
the terms, so the serving plan's second transcription runs only where a term may have been said.

Why: a term the base cannot spell still comes out as something that sounds like it ("Zorblax" -> "Zor
Blacks", "Ollama" -> "a llama"); an everyday voice note holds nothing that resembles any term, and captioning
it once is what the base costs (issue 20: at most 1.3x the base's time on a promoted server). The likeness
is lenient on purpose: a false alarm costs one more transcription, a miss costs the term.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from bot.core.captions.cues import Word

# Spellings that sound alike, folded to one key before comparing ("Quix" ~ "kwicks", "Phyre" ~ "fire").
_FOLDS = (
    ("ph", "f"),
    ("ck", "k"),
    ("qu", "kw"),
    ("x", "ks"),
    ("c", "k"),
    ("q", "k"),
    ("z", "s"),
    ("y", "i"),
    ("v", "f"),
    ("w", "u"),
)


def sound_key(text: str) -> str:
    """Letters only, sound-alike spellings folded, doubled letters and a silent h after a consonant dropped."""
    key = re.sub(r"[^a-z0-9]", "", text.lower())
    for spelling, sound in _FOLDS:
        key = key.replace(spelling, sound)
    key = re.sub(r"([^aeiou])h", r"\1", key)
    return re.sub(r"(.)\1+", r"\1", key)


def likeness(heard: str, term: str) -> float:
    """0..1: how alike two spellings sound (difflib's ratio of their sound keys)."""
    a, b = sound_key(heard), sound_key(term)
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(a=a, b=b, autojunk=False).ratio()


def resemblance(words: Sequence[Word], term: str, widest: int = 4) -> float:
    """The best likeness of any run of 1..widest consecutive words to the term."""
    best = 0.0
    texts = [w.text for w in words]
    for start in range(len(texts)):
        for size in range(1, min(widest, len(texts) - start) + 1):
            best = max(best, likeness("".join(texts[start : start + size]), term))
    return best


def may_hold_a_term(words: Sequence[Word], terms: Sequence[str], threshold: float) -> bool:
    """Does any run of the caption's words sound like one of the terms (likeness at least threshold)?"""
    return any(resemblance(words, term) >= threshold for term in terms)
