"""Tuning data for word-level serving (issue 20): what tells a term the glossary heard from a sound-alike it
wrote over everyday speech, and which base captions could hold a term at all.

On the TUNING communities only (bench/communities.py: every community there has chosen something, so all
are tuning sets now), unseen and sound-alike clips in the unseen voices, each decoded by the serving path's
own decoder (`Engine._transcribe`) twice: the base without a hint, and the base with the glossary. For every
term the glossary wrote, it prints the term's word probability, the base words under it with their lowest
probability, and whether the reference says the term there (true) or not (a sound-alike insertion). For every
term the reference says, it prints the best letter similarity of any 1-3 word window of the base's caption
to that term (the trigger of bot/core/transcription/combine.py must reach every true term).

    PYTHONPATH=$PWD HF_HUB_OFFLINE=1 .venv/bin/python -m bench.term_signals > bench/results/term_signals.txt

`--replay` applies the product's term rules to the stored decodes (no decoding) and prints, per community
and part, the terms the plain glossary inserted and missed against what the product serves.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, replace
from typing import Any

from bench.common import DATA_DIR
from bench.communities import COMMUNITIES, clips, term_count, term_counts

# A letter-and-sound likeness of the base's word windows to a term, measured as a trigger for the plan's
# second transcription (run it only where a term may have been said, so an everyday note costs one base
# transcription). Rejected: the true terms' best window scored as low as 0.38, and at that level nearly
# every everyday clip resembles some term. Kept here as the evidence.

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


def resemblance(words: Sequence[Any], term: str, widest: int = 4) -> float:
    """The best likeness of any run of 1..widest consecutive words to the term."""
    best = 0.0
    texts = [w.text for w in words]
    for start in range(len(texts)):
        for size in range(1, min(widest, len(texts) - start) + 1):
            best = max(best, likeness("".join(texts[start : start + size]), term))
    return best


def may_hold_a_term(words: Sequence[Any], terms: Sequence[str], threshold: float) -> bool:
    """Does any run of the caption's words sound like one of the terms (likeness at least threshold)?"""
    return any(resemblance(words, term) >= threshold for term in terms)


DUMP = DATA_DIR / "term_signals.json"  # every clip's two decodes, word by word, for trying rules offline


def main() -> None:
    from bot.core.config import ModelConfig
    from bot.core.media.audio import load_audio
    from bot.core.transcription.combine import _overlaps, term_keys, term_spans, word_key
    from bot.core.transcription.engine import Engine

    dump: list[dict[str, object]] = []
    engine = Engine(ModelConfig())
    base = engine.base_choice()
    for community in COMMUNITIES.values():
        keys = term_keys(community.terms)
        for part in ("unseen", "soundalike"):
            spoken = clips(community, part)
            for path, reference in zip(spoken.paths, spoken.texts, strict=True):
                audio = load_audio(path)
                plain = engine._transcribe(audio, base, (), "en", "transcribe", None)
                glossed = engine._transcribe(
                    audio, replace(base, hint="glossary"), community.terms, "en", "transcribe", None
                )
                dump.append(
                    {
                        "community": community.name,
                        "part": part,
                        "reference": reference,
                        "terms": list(community.terms),
                        "base": [asdict(w) for w in plain.words],
                        "glossary": [asdict(w) for w in glossed.words],
                    }
                )
                print(f"## {community.name} {part}: {reference}")
                print(f"   base: {' '.join(f'{w.text}({w.probability:.2f})' for w in plain.words)}")
                print(f"   glos: {' '.join(f'{w.text}({w.probability:.2f})' for w in glossed.words)}")
                for span in term_spans(glossed.words, keys):
                    said = "".join(w.text for w in span.words)
                    true = any(
                        term_count(reference, t) and word_key(t) in word_key(said) for t in community.terms
                    )
                    under = [w for w in plain.words if _overlaps(w, span)]
                    low = min((w.probability for w in under), default=-1.0)
                    same = word_key("".join(w.text for w in under)) == word_key(said)
                    print(
                        f"   SPAN {'TRUE' if true else 'INSERT'} {said!r} p={span.probability:.2f}"
                        f" base={' '.join(w.text for w in under)!r} base_min={low:.2f} same={same}"
                    )
                for term in community.terms:
                    if term_count(reference, term):
                        score = resemblance(plain.words, term)
                        print(f"   RECALL {term!r} best={score:.2f}")
                for term in community.terms:
                    if not term_count(reference, term):
                        score = resemblance(plain.words, term)
                        if score >= 0.5:
                            print(f"   FALSE {term!r} best={score:.2f}")
    engine.close()
    DUMP.write_text(json.dumps(dump))


def replay() -> None:
    """The serving rule for terms (bot/core/transcription/combine.py) on the stored decodes: per community,
    the terms the plain glossary inserted and kept, and what the product keeps of each, without decoding."""
    from bot.core.captions.cues import Word
    from bot.core.transcription.combine import combine, serves_whole, term_keys

    totals: dict[tuple[str, str], list[int]] = {}
    for clip in json.loads(DUMP.read_text()):
        keys = term_keys(clip["terms"])
        base = [Word(**w) for w in clip["base"]]
        planned = [Word(**w) for w in clip["glossary"]]
        if serves_whole(planned, keys, lambda word: True, tuned=False):
            served = planned
        else:
            served, _ = combine(base, planned, keys)
        text = " ".join(w.text for w in served)
        glossary = " ".join(w.text for w in planned)
        counts = totals.setdefault((clip["community"], clip["part"]), [0, 0, 0, 0])
        for index, said in enumerate((glossary, text)):
            found = term_counts(clip["reference"], said, clip["terms"])
            counts[2 * index] += found.inserted
            counts[2 * index + 1] += found.missed
    print("community part: plain glossary inserted/missed -> product inserted/missed")
    for (community, part), (g_ins, g_miss, p_ins, p_miss) in totals.items():
        print(f"{community} {part}: {g_ins}/{g_miss} -> {p_ins}/{p_miss}")


if __name__ == "__main__":
    import sys

    replay() if sys.argv[1:] == ["--replay"] else main()
