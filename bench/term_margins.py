"""How much the base, forced onto a clip, prefers its own words over a term the glossary put into them (issue 20).

On the TUNING decodes of bench/term_signals.py (run it first: every clip's base and glossary decodes, word
by word), for every clip where the product's term rule (bot/core/transcription/combine.py) puts a term into the
base's words, both texts are forced onto the clip with faster-whisper's alignment (no decoding) and scored
as the sum of their tokens' log-probabilities, once with the glossary as the prompt and once without. The
margin is the combined text's score minus the base's. A clip is a said term (TRUE) where the combined text
misses fewer terms than the base's, an insertion (INSERT) where it inserts more.

Measured, not built: the table says how many insertions and said terms a rule "drop the term where the margin
without a prompt is below T" would drop. It is the heard-otherwise trade of BENCHMARKS.md 5g in another form.

    PYTHONPATH=$PWD HF_HUB_OFFLINE=1 .venv/bin/python -m bench.term_margins
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from bench.common import Run, headers
from bench.communities import COMMUNITIES, clips, term_counts
from bench.term_signals import DUMP

THRESHOLDS = (-16.0, -20.0, -24.0, -28.0)


class Row(NamedTuple):
    threshold: float
    said_lost: str
    inserted_dropped: str


def main() -> None:
    import numpy as np
    from faster_whisper.audio import pad_or_trim
    from faster_whisper.tokenizer import Tokenizer

    from bot.core.captions.cues import Word
    from bot.core.config import ModelConfig
    from bot.core.media.audio import load_audio
    from bot.core.transcription.combine import combine, term_keys
    from bot.core.transcription.engine import Engine
    from bot.core.transcription.serving import glossary_prompt

    run = Run("term_margins", "How much the base prefers its own words over a term put into them (tuning)")
    engine = Engine(ModelConfig())
    model = engine.model(engine.base_choice().path)
    tokenizer = Tokenizer(model.hf_tokenizer, False, task="transcribe", language="en")
    spoken = {
        (c.name, part): clips(c, part) for c in COMMUNITIES.values() for part in ("unseen", "soundalike")
    }
    paths = {
        (name, part, text): path
        for (name, part), made in spoken.items()
        for path, text in zip(made.paths, made.texts, strict=True)
    }

    def score(encoded: Any, frames: int, prompt: str | None, text: str) -> float:
        previous = tokenizer.encode(" " + prompt) if prompt else None
        start = model.get_prompt(tokenizer, previous, without_timestamps=True)
        (result,) = model.model.align(encoded, start, [tokenizer.encode(" " + text.strip())], frames)
        return float(np.log(np.maximum(result.text_token_probs, 1e-6)).sum())

    cases: list[dict[str, Any]] = []
    for clip in json.loads(DUMP.read_text()):
        base = [Word(**w) for w in clip["base"]]
        combined, taken = combine(base, [Word(**w) for w in clip["glossary"]], term_keys(clip["terms"]))
        if not taken:
            continue
        base_text, text = " ".join(w.text for w in base), " ".join(w.text for w in combined)
        before, after = (term_counts(clip["reference"], t, clip["terms"]) for t in (base_text, text))
        label = (
            "TRUE"
            if after.missed < before.missed
            else "INSERT"
            if after.inserted > before.inserted
            else "SAME"
        )
        audio = load_audio(paths[(clip["community"], clip["part"], clip["reference"])])
        features = model.feature_extractor(audio)
        encoded, frames = model.encode(pad_or_trim(features)), min(features.shape[-1], 3000)
        margins = {
            name: score(encoded, frames, prompt, text) - score(encoded, frames, prompt, base_text)
            for name, prompt in (("prompted", glossary_prompt(clip["terms"])), ("plain", None))
        }
        cases.append(
            {"label": label, "reference": clip["reference"], "base": base_text, "served": text, **margins}
        )
        print(label, f"{margins['plain']:.1f} {margins['prompted']:.1f}", text, flush=True)
    engine.close()
    said = [c for c in cases if c["label"] == "TRUE"]
    inserted = [c for c in cases if c["label"] == "INSERT"]
    rows = [
        Row(
            threshold,
            f"{sum(c['plain'] < threshold for c in said)} of {len(said)}",
            f"{sum(c['plain'] < threshold for c in inserted)} of {len(inserted)}",
        )
        for threshold in THRESHOLDS
    ]
    run.finish(
        headers(
            Row,
            threshold="drop a term where the margin without a prompt is below (nats)",
            said_lost="said terms dropped",
            inserted_dropped="insertions dropped",
        ),
        rows,
        "A threshold that drops half the insertions also drops said terms; the product may not miss what the "
        "plain tool gets (issue 20), so no such rule serves.",
        method=__doc__ or "",
        details={"cases": cases},
    )


if __name__ == "__main__":
    main()
