"""The learning curve (issue 20): one community retrained on 24, 48 and 96 corrections, scored on the same
unseen and sound-alike clips.

More corrections are more members saying the community's sentences: size N is the community's 24 training
sentences spoken in N/24 draws of the training voice mix (bench/communities.py, seeds 0, 1, 2, ...; each draw
gives every sentence another voice, speed and noise), so the sets are nested (24 in 48 in 96). Per size a
fresh guild approves the terms, captions and corrects its clips through `CaptionService`, and
`python -m trainer run --json` retrains it with the product's defaults (`[training] seed = 0`). Reported per
size: what the trainer measured for its model on the held-out recordings (fold models, the same recordings
the free options are scored on), whether it promoted it, and the guild's captions afterwards on the unseen and
sound-alike clips, next to the plain tool's glossary on the same clips.

The bar (issue 20): the curve goes down, as the trainer measures its model: held-out WER at 48 <= at 24 and at
96 <= at 48 (each with 0.01 of slack for decoding noise). What the guild is served afterwards is reported,
not barred: a model the trainer refuses leaves the guild as it was.

    PYTHONPATH=$PWD HF_HUB_OFFLINE=1 .venv/bin/python -m bench.learning_curve --community kitchen --sizes 24,48,96
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import itertools
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

from bench.acceptance_communities import every_community
from bench.common import DATA_DIR, Run, extra_table, headers, retrain_through_the_cli
from bench.communities import Clips, Community, clips
from bench.learning_communities import SETS, Scored, _free_options, _served, fresh_server

WORK = DATA_DIR / "learning-curve"
SLACK = 0.01  # held-out WER may rise this much from one size to the next and still count as not worse


@dataclass
class SizeRun:
    corrections: int
    pairs: int  # the training pairs the trainer used (a correction may make none: bot/service/corrections.py)
    promoted: bool
    model_wer: float  # the trainer's score of its model on the held-out recordings (fold models)
    incumbent_wer: float  # the plan the guild had, scored the same way
    after: Scored  # the guild's captions after the retrain
    job_seconds: float
    reason: str


class CurveRow(NamedTuple):
    corrections: int
    pairs: int
    model_wer: str
    incumbent_wer: str
    promoted: str
    unseen_wer: str
    unseen_missed: str
    sound_inserted: str
    job_s: float


def training_clips(community: Community, corrections: int) -> Clips:
    """The first `corrections` training clips: the 24 sentences in draw 0, then draw 1, and so on."""
    draws = [clips(community, "training", seed) for seed in range(-(-corrections // 24))]
    paths = [p for d in draws for p in d.paths][:corrections]
    texts = [t for d in draws for t in d.texts][:corrections]
    voices = [v for d in draws for v in d.voices][:corrections]
    return Clips(tuple(paths), tuple(texts), tuple(voices))


def _score(result: dict[str, Any], key: str) -> float:
    value = result.get(key)
    data = ast.literal_eval(value) if isinstance(value, str) else value
    return float(data["wer"]) if isinstance(data, dict) else float("nan")


def measure_size(community: Community, corrections: int, made: dict[str, Clips]) -> SizeRun:
    from bench.scenario import caption_and_correct

    config_file, config = fresh_server(WORK / community.name / str(corrections), 0)
    guild = 3000 + corrections
    train = training_clips(community, corrections)
    print(f"{corrections} corrections: caption and correct ...", flush=True)
    asyncio.run(
        caption_and_correct(config, guild, list(train.paths), list(train.texts), terms=community.terms)
    )
    print("  retrain ...", flush=True)
    job = retrain_through_the_cli(config_file, guild, 0)
    result = job["result"]
    print("  the product after the retrain ...", flush=True)
    after = _served(config, guild, made, community.terms)
    return SizeRun(
        corrections,
        int(result.get("pairs") or 0),
        bool(result.get("promoted")),
        _score(result, "after"),
        _score(result, "before"),
        after,
        round(float(result.get("total_seconds") or job["wall"]), 1),
        str(result.get("reason", "")),
    )


def goes_down(runs: list[SizeRun]) -> bool:
    """Held-out WER of the model never rises by more than SLACK from one size to the next."""
    scores = [r.model_wer for r in sorted(runs, key=lambda r: r.corrections)]
    return all(later <= earlier + SLACK for earlier, later in itertools.pairwise(scores))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--community", choices=sorted(every_community()), default="kitchen")
    parser.add_argument("--sizes", default="24,48,96", help="numbers of corrections, one retrain each")
    args = parser.parse_args()
    community = every_community()[args.community]
    sizes = sorted(int(s) for s in args.sizes.split(","))
    run = Run(f"learning_curve-{community.name}", f"Learning curve on '{community.name}' ({community.role})")
    made = {name: clips(community, name, 0) for name in SETS}
    free = _free_options(made, tuple(community.terms), community.terms)
    runs = [measure_size(community, n, made) for n in sizes]
    glossary = free["glossary"]
    rows = [
        CurveRow(
            r.corrections,
            r.pairs,
            f"{r.model_wer:.3f}",
            f"{r.incumbent_wer:.3f}",
            "yes" if r.promoted else "no",
            f"{r.after['unseen']['wer']:.3f}",
            f"{r.after['unseen']['missed']} of {r.after['unseen']['expected']}",
            str(r.after["soundalike"]["inserted"]),
            r.job_seconds,
        )
        for r in runs
    ]
    down = goes_down(runs)
    interpretation = (
        "Held-out WER of the model by corrections: "
        + ", ".join(f"{r.corrections}: {r.model_wer:.3f}" for r in runs)
        + f" ({'goes down' if down else 'does NOT go down'}, slack {SLACK}). The plain tool's glossary on the "
        f"unseen clips: {glossary['unseen']['wer']:.3f} with {glossary['unseen']['missed']} of "
        f"{glossary['unseen']['expected']} terms missed; on the sound-alikes {glossary['soundalike']['inserted']} "
        f"terms inserted."
    )
    run.finish(
        headers(
            CurveRow,
            corrections="corrections",
            pairs="training pairs",
            model_wer="model, held-out WER",
            incumbent_wer="plan before, held-out WER",
            promoted="promoted",
            unseen_wer="served after, unseen WER",
            unseen_missed="unseen terms missed",
            sound_inserted="sound-alike terms inserted",
            job_s="retrain s",
        ),
        rows,
        interpretation,
        method=(
            "Nested training sets: the community's 24 training sentences in 1, 2 and 4 draws of the training "
            "voice mix; the same unseen and sound-alike clips (seed 0) for every size; trainer defaults."
        ),
        notes=[
            "Held-out WER is the trainer's own (its job result, 'after' and 'before'): fold models on recordings "
            "they did not train on; the recordings grow with the size, so sizes are scored on different sets.",
        ],
        details={
            "community": community.name,
            "free": free,
            "runs": [asdict(r) for r in runs],
            "goes_down": down,
        },
        extra_tables=[
            extra_table(
                "The trainer's reasons",
                [(r.corrections, r.reason) for r in runs],
                _ReasonRow,
                corrections="corrections",
                reason="trainer's reason",
            )
        ],
    )


class _ReasonRow(NamedTuple):
    corrections: int
    reason: str


if __name__ == "__main__":
    main()
