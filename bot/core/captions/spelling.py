"""Instant spellings: rules learned from corrections, applied to new captions before any retrain.

Why: a fine-tune waits for a moderator's /retrain and minutes of training, while a server's members keep
fixing the same misheard words ("more black" -> "Zorblax"). Once corrections of enough captions made the
same replacement with an approved term, new captions get it at once (as AssemblyAI's custom spelling does).
What a correction replaced comes from the same word alignment that puts its words on the cue times.

Rules only replace whole words, and only in the model's output at caption time (never in text a user
wrote): "more black" never touches "more blackboard" or "Kenmore black".
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.core.captions.alignment import match_tokens, normalize_words
from bot.core.captions.cues import Word
from bot.core.store import SpellingRule

MAX_HEARD_WORDS = 4  # longer stretches are rewrites, not one misheard term
TERM_EDGES = "\"'“”‘’()[]{}.,;:!?"

Segment = tuple[float, float, str, Sequence[Word]]


def word_key(token: str) -> str:
    """One comparable key per whitespace token: lowercase, punctuation dropped ("Black," -> "black")."""
    return "".join(normalize_words(token))


@lru_cache(maxsize=4)
def _tokenizer(path: str) -> Any:  # a tokenizers.Tokenizer, or None
    import tokenizers

    try:
        return tokenizers.Tokenizer.from_file(path)
    except Exception:  # a hub model name, or no tokenizer.json: no word is known to be everyday
        return None


def everyday_words(model_dir: str) -> Callable[[str], bool]:
    """Is a word one Whisper's own vocabulary holds whole (" window", " black")? Such words are everyday
    English: a rule rewriting one of them alone ("window" -> Quindle, learned from two misheard clips) would
    change ordinary speech in every caption, so single everyday words never become rules."""
    tokenizer = _tokenizer(str(Path(model_dir) / "tokenizer.json"))

    def everyday(word: str) -> bool:
        return tokenizer is not None and len(tokenizer.encode(" " + word, add_special_tokens=False).ids) == 1

    return everyday


def learned_replacements(
    original: Sequence[str],
    corrected: Sequence[str],
    terms: Collection[str],
    everyday: Callable[[str], bool] = lambda word: False,
) -> list[tuple[str, str]]:
    """(heard words, term) for each known term the correction put where the caption had other words.

    A replacement counts only between two words both sides agree on (or the text's edge), so the heard
    words are exactly what the term replaced. `terms` are casefolded vocabulary terms and proposals.
    """
    match = match_tokens(original, corrected)
    okeys = [word_key(t) for t in original]
    ckeys = [word_key(t) for t in corrected]
    exact = [i is not None and okeys[i] == ckeys[j] for j, i in enumerate(match)]
    found: dict[tuple[str, str], None] = {}
    last = len(corrected) - 1
    for j, token in enumerate(corrected):
        term = token.strip(TERM_EDGES)
        if exact[j] or term.casefold() not in terms:
            continue
        if (j > 0 and not exact[j - 1]) or (j < last and not exact[j + 1]):
            continue
        low = match[j - 1] + 1 if j > 0 else 0  # type: ignore[operator]  # exact implies a match
        high = match[j + 1] if j < last else len(original)
        heard = [k for k in okeys[low:high] if k]
        if len(heard) == 1 and everyday(heard[0]):
            continue
        if heard and len(heard) <= MAX_HEARD_WORDS and "".join(heard) != ckeys[j]:
            found[(" ".join(heard), term)] = None
    return list(found)


def respell(segments: Sequence[Segment], rules: Sequence[SpellingRule]) -> tuple[list[Segment], int]:
    """The segments with every rule applied to whole words; and how many replacements were made."""
    if not rules:
        return list(segments), 0
    by_first: dict[str, list[tuple[list[str], str]]] = {}
    for rule in rules:
        heard = rule.heard.casefold().split()
        by_first.setdefault(heard[0], []).append((heard, rule.term))
    for candidates in by_first.values():
        candidates.sort(key=lambda c: -len(c[0]))  # the longest heard words first
    out: list[Segment] = []
    total = 0
    for start, end, text, words in segments:
        if words:
            new_words, count = _respell_words(list(words), by_first)
            out.append((start, end, "".join(w.text for w in new_words), new_words))
        else:
            tokens, count = _respell_tokens(text.split(), by_first)
            out.append((start, end, " ".join(tokens), words))
        total += count
    return out, total


def _find(keys: list[str], at: int, by_first: dict[str, list[tuple[list[str], str]]]) -> tuple[int, str]:
    """(number of words, term) of the longest rule that matches whole words from `at`, or (0, "")."""
    for heard, term in by_first.get(keys[at], ()):
        if keys[at : at + len(heard)] == heard:
            return len(heard), term
    return 0, ""


def _respell_words(
    words: list[Word], by_first: dict[str, list[tuple[list[str], str]]]
) -> tuple[list[Word], int]:
    keys = [word_key(w.text) for w in words]
    out: list[Word] = []
    count = at = 0
    while at < len(words):
        size, term = _find(keys, at, by_first) if keys[at] else (0, "")
        if not size:
            out.append(words[at])
            at += 1
            continue
        first, final = words[at], words[at + size - 1]
        out.append(Word(first.start, final.end, _dressed(first.text, final.text, term)))
        count += 1
        at += size
    return out, count


def _respell_tokens(
    tokens: list[str], by_first: dict[str, list[tuple[list[str], str]]]
) -> tuple[list[str], int]:
    keys = [word_key(t) for t in tokens]
    out: list[str] = []
    count = at = 0
    while at < len(tokens):
        size, term = _find(keys, at, by_first) if keys[at] else (0, "")
        if not size:
            out.append(tokens[at])
            at += 1
            continue
        out.append(_dressed(tokens[at], tokens[at + size - 1], term))
        count += 1
        at += size
    return out, count


def _dressed(first: str, final: str, term: str) -> str:
    """The term with the leading space of the first word and the punctuation after the last one."""
    lead = first[: len(first) - len(first.lstrip())]
    body = final.rstrip()
    cut = len(body)
    while cut and not body[cut - 1].isalnum():
        cut -= 1
    return lead + term + body[cut:]
