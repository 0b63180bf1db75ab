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
from pathlib import Path
from typing import NamedTuple, cast

from bench.common import DATA_DIR, Run, general_sentences, headers
from bench.scenario import SCENARIO, spoken
from bot.core.transcription.serving import Hint

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
    parser.add_argument("--model", help="a promoted model folder (default: the scenario bench's)")
    parser.add_argument(
        "--community", help="with --model: whose unseen clips and terms (bench/communities.py)"
    )
    parser.add_argument("--hint", default="none", help="with --model: the hint its plan serves it with")
    args = parser.parse_args()

    from bot.core.config import config_from_dict
    from bot.core.media.audio import load_audio
    from bot.core.transcription.engine import Engine, ModelChoice
    from bot.core.transcription.learned_words import read_learned_words
    from trainer.evaluate import score

    folders = [Path(args.model)] if args.model else sorted(MODELS.glob("*/v*/model"))
    model = next((f for f in folders if read_learned_words(f)), None)
    if model is None:
        sys.exit(
            "no promoted model with learned words: run python -m bench.learning_quality first, or --model"
        )
    run = Run("learned_words_cost", "5d. A server's model on voice notes with and without its words")
    speech = DATA_DIR / "speech"
    daily_set = spoken(general_sentences(12, seed=9), speech / "everyday", "everyday")
    everyday = (tuple(daily_set.paths), tuple(daily_set.texts))
    sets: dict[str, tuple[tuple[Path, ...], tuple[str, ...]]]
    if args.community:
        from bench.acceptance_communities import every_community
        from bench.communities import clips as community_clips

        community = every_community()[args.community]
        unseen = community_clips(community, "unseen", 0)
        terms: tuple[str, ...] = community.terms
        sets = {"with the server's terms": (unseen.paths, unseen.texts), "everyday": everyday}
    else:
        terms = tuple(SCENARIO.terms)
        held = spoken(SCENARIO.held_out, speech / SCENARIO.name, "held")
        sets = {"with the server's terms": (tuple(held.paths), tuple(held.texts)), "everyday": everyday}
    engine = Engine(config_from_dict({}).model)
    hint = cast(Hint, args.hint if args.model else "none")
    choices = {"base": engine.base_choice(), "the model": ModelChoice(str(model), "v1", hint)}
    rows = []
    for name, (paths, references) in sets.items():
        clips = [load_audio(p) for p in paths]
        seconds = {label: 0.0 for label in choices}
        transcripts: dict[str, list] = {}
        for choice in choices.values():  # warm up: load each model once
            engine.transcribe(clips[0], choice, terms=terms)
        for _ in range(args.rounds):
            for index, clip in enumerate(clips):
                for label, choice in choices.items():
                    started = time.perf_counter()
                    transcript = engine.transcribe(clip, choice, terms=terms if choice.hint != "none" else ())
                    seconds[label] += time.perf_counter() - started
                    transcripts.setdefault(label, [None] * len(clips))[index] = transcript
        for label in choices:
            texts = [" ".join(s.text for s in t.segments) for t in transcripts[label]]
            scores = score(list(references), texts, list(terms))
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
    with_terms, daily = by[("with the server's terms", "the model")], by[("everyday", "the model")]
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
        f"On voice notes with the server's terms the model costs {with_terms.ratio:.2f}x the base's time "
        f"(captioned again by the base: {with_terms.captioned_by_base}); on everyday speech "
        f"{daily.ratio:.2f}x ({daily.captioned_by_base} captioned again by the base), WER "
        f"{daily.wer:.3f} against the base's {by[('everyday', 'base')].wer:.3f}.",
        method=(
            f"`python -m bench.learned_words_cost --rounds {args.rounds}"
            + (
                f" --model {args.model} --community {args.community} --hint {args.hint}`"
                if args.model
                else "`"
            )
        ),
        notes=[
            "One transcription slot, as the bot's default; seconds are wall time per clip, paired by clip.",
            f"The model: {model} (its learned words in learned_words.json), served with hint {hint}.",
        ],
    )


if __name__ == "__main__":
    main()
