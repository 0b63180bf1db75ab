"""Minimal-pair training, with and without (issue 20): does a model trained also on each term's everyday
sound-alike ("Dravel picked the lock" beside "Travel picked the lock") write its terms into everyday speech
less?

One community's 24 training clips (bench/communities.py), one adapter trained on them with the product's
recipe (8 epochs, LoRA r=32 on q,v, glossary-conditioned, merged at 1.0 and exported as the trainer does),
once with the minimal pairs of trainer/soundalikes.py in the training set and once without; each model with
the glossary then transcribes the community's unseen and sound-alike clips through the serving decoder.
Reported: WER, terms missed and terms inserted, per part. No folds, no decision: this compares the models
themselves, whatever a retrain would have done with them.

    PYTHONPATH=$PWD HF_HUB_OFFLINE=1 .venv/bin/python -m bench.minimal_pairs --community tabletop
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.acceptance_communities import every_community
from bench.common import DATA_DIR, RESULTS_DIR
from bench.communities import Community, clips, term_counts


@dataclass(frozen=True)
class PartScore:
    wer: float
    inserted: int
    missed: int


def train_model(community: Community, pairs: bool, work: Path) -> Path:
    """One adapter on the community's training clips (with its minimal pairs when `pairs`), merged and
    exported for faster-whisper."""
    from bot.core.config import load_config
    from bot.core.media.audio import load_audio
    from bot.core.transcription.engine import base_model_path
    from trainer.dataset import Clip
    from trainer.folds import Paths, export_merged
    from trainer.pipeline import base_weights
    from trainer.soundalikes import Extras, everyday_vocabulary, sound_alikes
    from trainer.train import fit_adapter

    config_file = work / "config.toml"
    config_file.write_text(f'[storage]\ndata_dir = "{work / "data"}"\n')
    config = load_config(config_file)
    hf, ct2 = base_weights(config)
    base = Paths(Path(hf), ct2)
    spoken = clips(community, "training")
    train = [
        Clip(load_audio(p), t, media_id=i, pair_id=i)
        for i, (p, t) in enumerate(zip(spoken.paths, spoken.texts, strict=True))
    ]
    extras = Extras()
    if pairs:
        alikes = tuple(sound_alikes(community.terms, everyday_vocabulary(base_model_path(config.model))))
        extras = Extras(alikes=alikes, folder=work / "pairs")
    fit = fit_adapter(
        base.hf,
        extras.around(train),
        [],
        config.training,
        epochs=config.training.epochs,
        glossary=community.terms,
    )
    name = "with-pairs" if pairs else "without"
    adapter = fit.save_adapter(work / name / "adapter")
    return export_merged(base, adapter, 1.0, work / name / "model", config.training.export_quantization, [])


def score_model(community: Community, model: Path) -> dict[str, PartScore]:
    """The model with the glossary on the community's unseen and sound-alike clips."""
    import jiwer

    from bot.core.config import ModelConfig
    from bot.core.media.audio import load_audio
    from bot.core.transcription.engine import Engine, ModelChoice

    engine = Engine(ModelConfig())
    choice = ModelChoice(str(model), "v1", "glossary")
    out = {}
    for part in ("unseen", "soundalike"):
        spoken = clips(community, part)
        refs, hyps, inserted, missed = [], [], 0, 0
        for path, reference in zip(spoken.paths, spoken.texts, strict=True):
            heard = engine._transcribe(load_audio(path), choice, community.terms, "en", "transcribe", None)
            text = " ".join(w.text for w in heard.words)
            counts = term_counts(reference, text, community.terms)
            inserted, missed = inserted + counts.inserted, missed + counts.missed
            refs.append(reference.lower())
            hyps.append(text.lower())
        transform = jiwer.Compose([jiwer.RemovePunctuation(), jiwer.ReduceToListOfListOfWords()])
        wer = jiwer.wer(refs, hyps, reference_transform=transform, hypothesis_transform=transform)
        out[part] = PartScore(round(wer, 3), inserted, missed)
    engine.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--community", required=True, choices=sorted(every_community()))
    args = parser.parse_args()
    community = every_community()[args.community]
    work = DATA_DIR / "minimal-pairs" / community.name
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    results = {}
    for pairs in (True, False):
        scores = score_model(community, train_model(community, pairs, work))
        results["with minimal pairs" if pairs else "without"] = {k: asdict(v) for k, v in scores.items()}
        for part, score in scores.items():
            print(f"{'with' if pairs else 'without'} pairs, {part}: {score}", flush=True)
    out = RESULTS_DIR / f"minimal_pairs-{community.name}.json"
    out.write_text(
        json.dumps(
            {"community": community.name, "seconds": round(time.monotonic() - started), **results}, indent=1
        )
    )
    print(f"results in {out}")


if __name__ == "__main__":
    main()
