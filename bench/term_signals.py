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
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace

from bench.common import DATA_DIR
from bench.communities import COMMUNITIES, clips, term_count

DUMP = DATA_DIR / "term_signals.json"  # every clip's two decodes, word by word, for trying rules offline


def main() -> None:
    from bot.core.config import ModelConfig
    from bot.core.media.audio import load_audio
    from bot.core.transcription.combine import _overlaps, term_keys, term_spans, word_key
    from bot.core.transcription.engine import Engine
    from bot.core.transcription.resemblance import resemblance

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


if __name__ == "__main__":
    main()
