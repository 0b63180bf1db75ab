"""Benchmark 5d: what a server's model costs per voice note when it keeps only captions that use its words.

A promoted model captions a voice note; if it used none of the words it learned, the base captions it again
(bot/core/transcription/learned_words.py). So speech with the server's words costs one transcription, everyday speech two.
Measured with the model the scenario bench promoted (run `python -m bench.learning_quality` first), on
espeak-ng voice notes: 12 with the server's terms (the scenario's held-out sentences) and 12 everyday ones.
The engine is the bot's (one transcription slot); each clip is transcribed by the plain base and by the
model in turn, so both see the same load; the words are scored too, so the cost sits beside what it buys.

    .venv/bin/python -m bench.learned_words_cost [--rounds 2]
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import NamedTuple

from bench.common import DATA_DIR, Run, general_sentences, headers
from bench.scenario import SCENARIO, spoken

MODELS = DATA_DIR / "learning" / "scenario" / "data" / "models"


class Row(NamedTuple):
    speech: str
    served_by: str
    seconds_per_clip: float
    ratio: float
    captioned_by_base: str
    wer: float
    terms: str


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2, help="timed passes over every clip")
    args = parser.parse_args()

    from bot.core.config import config_from_dict
    from bot.core.media.audio import load_audio
    from bot.core.transcription.engine import Engine, ModelChoice
    from bot.core.transcription.learned_words import read_learned_words
    from trainer.evaluate import score

    folders = sorted(MODELS.glob("*/v*/model"))
    model = next((f for f in folders if read_learned_words(f)), None)
    if model is None:
        sys.exit("no promoted scenario model with learned words: run python -m bench.learning_quality first")
    run = Run("learned_words_cost", "5d. A server's model on voice notes with and without its words")
    speech = DATA_DIR / "speech"
    sets = {
        "with the server's terms": spoken(SCENARIO.held_out, speech / SCENARIO.name, "held"),
        "everyday": spoken(general_sentences(12, seed=9), speech / "everyday", "everyday"),
    }
    engine = Engine(config_from_dict({}).model)
    choices = {"base": engine.base_choice(), "the model": ModelChoice(str(model), "v1")}
    rows = []
    for name, spoken_set in sets.items():
        clips = [load_audio(p) for p in spoken_set.paths]
        seconds = {label: 0.0 for label in choices}
        transcripts: dict[str, list] = {}
        for choice in choices.values():  # warm up: load each model once
            engine.transcribe(clips[0], choice)
        for _ in range(args.rounds):
            for index, clip in enumerate(clips):
                for label, choice in choices.items():
                    started = time.perf_counter()
                    transcript = engine.transcribe(clip, choice)
                    seconds[label] += time.perf_counter() - started
                    transcripts.setdefault(label, [None] * len(clips))[index] = transcript
        for label in choices:
            texts = [" ".join(s.text for s in t.segments) for t in transcripts[label]]
            scores = score(spoken_set.texts, texts, list(SCENARIO.terms))
            per_clip = seconds[label] / (args.rounds * len(clips))
            rows.append(
                Row(
                    name,
                    label,
                    round(per_clip, 3),
                    round(seconds[label] / seconds["base"], 2),
                    f"{sum(t.by_base for t in transcripts[label])} of {len(clips)}",
                    round(scores.wer, 3),
                    f"{scores.keyword_hits}/{scores.keyword_total}" if scores.keyword_total else "none said",
                )
            )
    engine.close()
    by = {(r.speech, r.served_by): r for r in rows}
    terms, everyday = by[("with the server's terms", "the model")], by[("everyday", "the model")]
    run.finish(
        headers(
            Row,
            speech="voice notes",
            served_by="served by",
            seconds_per_clip="s per clip",
            ratio="vs base",
            captioned_by_base="captioned again by the base",
            wer="WER",
            terms="terms right",
        ),
        rows,
        f"On voice notes with the server's terms the model costs {terms.ratio:.2f}x the base's time "
        f"(captioned again by the base: {terms.captioned_by_base}); on everyday speech {everyday.ratio:.2f}x, "
        f"because it is transcribed twice ({everyday.captioned_by_base} captioned by the base), and its "
        f"WER is the base's ({everyday.wer:.3f} vs {by[('everyday', 'base')].wer:.3f}).",
        method=f"`python -m bench.learned_words_cost --rounds {args.rounds}`; model {model.relative_to(DATA_DIR)}",
        notes=[
            "One transcription slot, as the bot's default; seconds are wall time per clip, paired by clip.",
            "The model is the scenario bench's promoted v1 (its learned words in learned_words.json).",
        ],
    )


if __name__ == "__main__":
    main()
