"""One retrain, start to finish: it decides how a server is served, and trains a model only to compete.

The free options (the base model with no hint, the vocabulary as a glossary prompt, or as hotwords) are
what a new model must beat, on the server's own recordings, without losing general speech:

1. k-fold over recordings: a LoRA adapter trained without a recording transcribes it, merged at each scale,
   exported and served exactly as the bot would, with each hint. Every recording is judged by a model that
   never heard it, and the served model can then be trained on every pair (holding out a fifth cost much
   of the learning with tens of corrections: see the notes).
2. Recordings have roles: dev recordings choose the hint, the merge scale and (through early stopping in
   each fold) the epochs; test recordings alone decide whether the chosen new model beats the best free
   option. A candidate that inserts terms nobody said, or runs away, is not better.
3. Only a winner is trained on every pair and exported; the plan is then checked on real speech against the
   base exported the same way (trainer/guard.py). A plan that fails falls back to the best free option.

Nothing here touches the database: the worker reads the inputs before and records the outcome after, so a
crash anywhere in here leaves the database, the active model and the serving plan exactly as they were.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.core.config import BUNDLED_MODEL, Config
from bot.core.retrain.report import describe_label
from bot.core.retrain.result import GeneralSpeech, LabelledScores, RetrainResult
from bot.core.store import ModelVersionRow, PairRow
from bot.core.store.paths import to_stored, within
from bot.core.transcription.engine import Engine, ModelChoice, base_model_path
from bot.core.transcription.serving import BASE, Route, ServingPlan
from trainer.dataset import GuildData, load_guild_data
from trainer.decision import (
    Candidate,
    bar,
    decide,
    errors_against,
    everyday_insertions,
    fallback,
    held_out_rank,
    holds_everyday,
    new_candidates,
    score_candidates,
)
from trainer.evaluate import evaluation_engine, transcribe_all
from trainer.folds import (
    Exports,
    FoldFit,
    Hypotheses,
    Paths,
    Progress,
    candidate_hints,
    cross_validate,
    free_options,
    free_probes,
    language,
    learned_for,
)
from trainer.general_speech import PLAIN, Option, choose_plan
from trainer.replay import replay_clips
from trainer.report import model_card, plot_curve
from trainer.soundalikes import (
    Extras,
    Probes,
    SoundAlike,
    everyday_probes,
    everyday_vocabulary,
    sound_alikes,
)
from trainer.train import fit_adapter


@dataclass(frozen=True)
class Outcome:
    version: int
    model_path: Path | None  # the served CTranslate2 folder of a kept model; None when none was trained
    promote: bool
    reason: str
    plan: ServingPlan
    result: RetrainResult  # what the job reports: the decision, every candidate's scores, timings


def base_weights(config: Config) -> tuple[Path | str, Path | None]:
    """The Hugging Face form of the base model to train, and the CTranslate2 base to copy settings from."""
    from trainer.ct2_import import ensure_hf_base

    base = config.model.base
    if base == BUNDLED_MODEL or Path(base, "model.bin").exists():
        ct2_dir = Path(base_model_path(config.model))
        return ensure_hf_base(ct2_dir, config.data_dir / "cache" / "hf-base"), ct2_dir
    from trainer.hub_base import hub_weights  # small, large-v3-turbo, a hub id: openai's own weights

    return hub_weights(base), None


@dataclass(frozen=True)
class Incumbent:
    """The tuned model active now: its folder, its plan label ("v1") and the pairs it trained on."""

    path: Path
    label: str
    trained: frozenset[int]


def incumbent_of(config: Config, active: ModelVersionRow | None) -> Incumbent | None:
    if active is None or (path := within(config.data_dir, active.path)) is None:
        return None
    if not (path / "model.bin").exists():
        return None
    trained = frozenset(int(p) for p in active.metrics.get("pair_ids", []))
    return Incumbent(path, f"v{active.version}", trained)


@dataclass
class Job:
    """One retrain's settings, folders and clock, handed to each of its steps."""

    config: Config
    guild_id: int
    version: int
    progress: Progress
    current: ServingPlan | None = None  # what the server is served now (None: not known, the plain base)
    incumbent: Incumbent | None = None  # the tuned model active now, if its folder is there
    started: float = field(default_factory=time.monotonic)
    stages: dict[str, float] = field(default_factory=dict)  # wall seconds of each stage (bench 5 reads them)
    _mark: float = field(default_factory=time.monotonic)

    @property
    def final_dir(self) -> Path:
        return self.config.data_dir / "models" / str(self.guild_id) / f"v{self.version}"

    @property
    def work(self) -> Path:
        """Where the version is built; one rename publishes it (`_publish`)."""
        return self.final_dir.with_name(f".v{self.version}.tmp")

    def lap(self, stage: str) -> None:
        now = time.monotonic()
        self.stages[stage] = round(now - self._mark, 2)
        self._mark = now


@dataclass(frozen=True)
class Retrained:
    """What a retrain decided, before its version folder is published or discarded."""

    result: RetrainResult  # without the job's total and stage seconds, which run_training adds
    plan: ServingPlan
    model: Path | None = None  # the kept model, inside the work folder; None when none is served


def run_training(
    config: Config,
    guild_id: int,
    pairs: Sequence[PairRow],
    terms: Sequence[str],
    active: ModelVersionRow | None,
    version: int,
    progress: Progress,
    current: ServingPlan | None = None,
) -> Outcome:
    """One retrain: `retrain` decides in a work folder; a kept model's folder is published whole, and the
    work folder goes whatever happens."""
    job = Job(config, guild_id, version, progress, current, incumbent_of(config, active))
    try:
        retrained = retrain(job, pairs, terms)
        result = replace(retrained.result, total_seconds=round(time.monotonic() - job.started, 1))
        result = replace(result, stage_seconds=dict(job.stages))
        if retrained.model is not None:
            result = _keep(job, retrained, result)
        else:
            shutil.rmtree(job.work, ignore_errors=True)
    except BaseException:
        shutil.rmtree(job.work, ignore_errors=True)
        raise
    progress("done", 1.0)
    promote = retrained.model is not None
    model = job.final_dir / "model" if promote else None
    return Outcome(version, model, promote, result.reason, retrained.plan, result)


def retrain(job: Job, pairs: Sequence[PairRow], terms: Sequence[str]) -> Retrained:
    """Score the free options and the fold models, train the served model only for a winner, and keep the
    first plan, best first, that holds general speech (bench/scale_worker.py stands in for this step)."""
    data = _load_data(job, pairs, terms)
    base = _base(job)
    shutil.rmtree(job.work, ignore_errors=True)  # a crashed run's
    job.work.mkdir(parents=True)
    with closing(evaluation_engine(job.config.model)) as engine:
        hypotheses = free_options(engine, job.config, data, terms, job.progress)
        job.lap("free_options")
        alikes = _sound_alikes(job, terms)
        extras = _extras(job, alikes)
        probes = _probes(job, data, alikes)
        probe_texts = free_probes(engine, job.config, probes, terms) if probes.clips else None
        job.lap("everyday_probes")
        folds = cross_validate(
            engine,
            job.config,
            data,
            extras,
            terms,
            base,
            job.work,
            hypotheses,
            job.progress,
            probes,
            probe_texts,
        )
        job.lap("folds")
        decision = _decide(data, hypotheses, terms, folds, job.current)
        decision = _against_soundalikes(decision, probes, probe_texts, terms)
        decision = _against_incumbent(job, engine, data, hypotheses, terms, decision)
        final = _train_served(job, data, extras, base, folds, terms) if decision.winners else None
        learned = learned_for(job.config, data.clips, data, hypotheses)
        exports = Exports(
            base, job.work / "adapter", job.work, job.config.training.export_quantization, learned
        )
        chosen = _check_general_speech(job, engine, decision, exports, base, terms)
        job.lap("general_speech")
    result = _result(job, data, decision, folds, final, chosen)
    return Retrained(result, chosen.plan, chosen.model)


def _load_data(job: Job, pairs: Sequence[PairRow], terms: Sequence[str]) -> GuildData:
    training = job.config.training
    job.progress("preparing data", 0.02)
    data = load_guild_data(
        pairs,
        min_pairs=training.min_pairs,
        folds=training.folds,
        seed=training.seed,
        min_words=training.min_decision_words,
    )
    if not _chooses(job.config, terms):
        data = replace(data, roles=dict.fromkeys(data.roles, "test"))
    job.lap("data")
    return data


def _chooses(config: Config, terms: Sequence[str]) -> bool:
    """Does this retrain choose anything on held-out recordings (the epoch, a hint, a merge scale)? Only then
    are half of them dev recordings. Otherwise every one of them decides. With 24 corrections on kitchen, a
    dozen test recordings could not tell the glossary-trained model (0.337 WER over all 24) from the
    glossary (0.483): it was better on 67% of their resamples, 90% needed. The early stop and the hint that
    the other dozen were spent on changed nothing: both folds stopped at the last epoch, and the model was
    best with the glossary."""
    training = config.training
    hints = candidate_hints(config, terms)
    return training.early_stopping or len(hints) > 1 or len(training.merge_scales) > 1


def _base(job: Job) -> Paths:
    job.progress("preparing the base model", 0.04)
    hf, ct2 = base_weights(job.config)
    job.lap("base_model")
    return Paths(Path(hf), ct2)


@dataclass(frozen=True)
class _Decision:
    """Every candidate scored out of fold, and what test recordings said of the new ones."""

    candidates: list[Candidate]
    frees: list[Candidate]
    free: Candidate  # what serves if no new model wins: chosen on every held-out recording
    new: Candidate | None  # the best new candidate on dev
    epochs: list[int]  # each fold's best epoch
    wins: bool
    reason: str
    winners: list[Candidate]  # the new candidates that beat every free option on test, best on dev first
    probes: tuple[str, ...] = ()  # the everyday sound-alike sentences every candidate was checked on
    everyday: dict[str, int] = field(default_factory=dict)  # label -> terms it wrote into them


def _decide(
    data: GuildData,
    hypotheses: Hypotheses,
    terms: Sequence[str],
    folds: Sequence[FoldFit],
    current: ServingPlan | None,
) -> _Decision:
    candidates = score_candidates(data, hypotheses, terms)
    frees = [c for c in candidates if not c.is_new]
    new = min((c for c in candidates if c.is_new), key=Candidate.rank, default=None)
    epochs = [f.best_epoch for f in folds]
    wins, reason = decide(frees, new, epochs)
    # The new ways to serve that beat every free option on test, best on dev first: if the favourite
    # loses general speech, another merge scale of the same adapter (when configured) is checked next.
    ranked = sorted(new_candidates(candidates), key=Candidate.rank)
    winners = [c for c in ranked if decide(frees, c, epochs)[0]] if wins else []
    now = f"{BASE}|{current.short.hint}" if current is not None and current.short.model == BASE else None
    return _Decision(candidates, frees, fallback(frees, now), new, epochs, wins, reason, winners)


def _against_incumbent(
    job: Job, engine: Engine, data: GuildData, hypotheses: Hypotheses, terms: Sequence[str], d: _Decision
) -> _Decision:
    """A new model replaces the tuned model serving now only if it makes no more errors than that model on
    the recordings that model never trained on (the only ones that can score it fairly); with none, the
    model serving now stays. Winners that lose to it are dropped, and the reason says so."""
    current, incumbent = job.current, job.incumbent
    if not d.winners or current is None or incumbent is None or current.short.model != incumbent.label:
        return d
    fresh = fresh_clips(data, incumbent)
    if not fresh:
        why = f"every recording trained {incumbent.label}, so none can show the new model doing better"
        return replace(d, winners=[], reason=f"{d.reason}; but {why}")
    references = [data.clips[i].text for i in fresh]
    choice = ModelChoice(str(incumbent.path), incumbent.label, current.short.hint)
    served = transcribe_all(engine, choice, [data.clips[i].audio for i in fresh], terms)
    kept: list[tuple[Candidate, int, int]] = []
    lost: list[tuple[Candidate, int, int]] = []
    for winner in d.winners:
        new, now = errors_against(references, [hypotheses[winner.label][i] for i in fresh], served, terms)
        (kept if new <= now else lost).append((winner, new, now))
    if not lost:
        return d
    _, new, now = lost[0]
    why = (
        f"on the {len(fresh)} recordings {incumbent.label} never trained on, the new model made {new} errors "
        f"against {incumbent.label}'s {now}"
    )
    return replace(d, winners=[w for w, _, _ in kept], reason=f"{d.reason}; but {why}")


def fresh_clips(data: GuildData, incumbent: Incumbent) -> list[int]:
    """The clips (indices) of pairs the model serving now did not train on."""
    return [i for i, c in enumerate(data.clips) if c.pair_id >= 0 and c.pair_id not in incumbent.trained]


@dataclass(frozen=True)
class _ServedFit:
    """The served model's training: every pair, for `epochs`."""

    epochs: int
    curve: tuple[dict[str, float | None], ...]
    steps: int
    seconds: float


def _sound_alikes(job: Job, terms: Sequence[str]) -> tuple[SoundAlike, ...]:
    """The terms' everyday sound-alikes ("Pellicor" / "pelican"), when anything uses them."""
    training = job.config.training
    if not (training.soundalike_pairs or training.soundalike_check):
        return ()
    if shutil.which("espeak-ng") is None or shutil.which("sox") is None:
        job.progress("no everyday probes: espeak-ng and sox are not installed (make deps)", 0.15)
        return ()
    alikes = tuple(sound_alikes(terms, everyday_vocabulary(base_model_path(job.config.model))))
    job.progress(f"{len(alikes)} of {len(terms)} terms sound like an everyday word", 0.15)
    return alikes


def _extras(job: Job, alikes: Sequence[SoundAlike]) -> Extras:
    """Replayed sentences and minimal pairs for every training set (both off by default, both measured)."""
    training = job.config.training
    replay = tuple(replay_clips(job.config.data_dir, training.replay_sentences))
    if not training.soundalike_pairs:
        return Extras(replay)
    return Extras(replay, tuple(alikes), job.work / "soundalikes")


def _probes(job: Job, data: GuildData, alikes: Sequence[SoundAlike]) -> Probes:
    """Everyday sentences that say the terms' sound-alikes, for every fold's model to transcribe."""
    if not job.config.training.soundalike_check or not alikes:
        return Probes()
    return everyday_probes(alikes, len(data.folds), job.work / "probes")


def _against_soundalikes(
    d: _Decision, probes: Probes, probe_texts: Hypotheses | None, terms: Sequence[str]
) -> _Decision:
    """A new model serves only if it writes no more terms into everyday sentences that sound like them than
    the base with the same hint. Every held-out recording holds a term, so without these the trainer never
    saw a model hear its names in everyday words ("A Pellicor stole a fish", BENCHMARKS.md 5h)."""
    if probe_texts is None:
        return d
    counts = {label: everyday_insertions(probes.texts, texts, terms) for label, texts in probe_texts.items()}
    d = replace(d, probes=tuple(c.text for c in probes.clips), everyday=counts)
    if not d.winners:
        return d
    checked = [(w, *holds_everyday(w.label, counts)) for w in d.winners]
    kept = [w for w, ok, _, _ in checked if ok]
    if kept:
        return replace(d, winners=kept)
    _, _, new, free = checked[0]
    why = (
        f"its fold models wrote {new} terms into everyday sentences that sound like them ({len(probes.clips)} "
        f"sentences, each heard by {probes.folds} models), where "
        f"{describe_label(f'{BASE}|{checked[0][0].hint}')} wrote {free}"
    )
    return replace(d, winners=[], reason=f"{d.reason}; but {why}")


def _train_served(
    job: Job,
    data: GuildData,
    extras: Extras,
    base: Paths,
    folds: Sequence[FoldFit],
    terms: Sequence[str],
) -> _ServedFit:
    """The served model's adapter: every pair, for the longest of the folds' best epochs (merged later).

    Each fold learns from a part of the pairs and stops on a few dev recordings' loss; the served model
    learns from all of them, which needs no fewer epochs. (The mean served a model stopped at epoch 5 of a
    schedule of 8, its learning rate never decayed, when one fold's dev loss rose for three epochs.)"""
    progress = job.progress
    progress("training the served model on every pair", 0.62)
    epochs = max(1, max(f.best_epoch for f in folds))
    fit = fit_adapter(
        base.hf,
        extras.around(data.clips),
        [],
        job.config.training,
        epochs=epochs,
        language=language(job.config),
        progress=lambda stage, x: progress("training the served model", 0.62 + 0.18 * x),
        glossary=terms,
    )
    fit.save_adapter(job.work / "adapter")
    job.lap("final_model")
    return _ServedFit(epochs, tuple(fit.curve), fit.steps, round(fit.seconds, 1))


@dataclass(frozen=True)
class _Chosen:
    """The plan that serves after the general-speech check, and why."""

    plan: ServingPlan
    reason: str
    general: GeneralSpeech
    new: Candidate | None  # the new candidate reported: the one served, else the best on dev
    model: Path | None = None  # the served model, moved to the work folder's "model"
    learned: tuple[str, ...] = ()  # the served model's learned words


def _check_general_speech(
    job: Job, engine: Engine, d: _Decision, exports: Exports, base: Paths, terms: Sequence[str]
) -> _Chosen:
    """The first plan, best first, that keeps general speech: a winner's, else the best free option's."""
    options = [
        Option(_plan(d.free, c, job.version, d.reason), exports.at(c.scale), c.label) for c in d.winners
    ]
    keeps = _keeps_model(job, d)
    if keeps is not None and not options:
        return _Chosen(keeps, keeps.reason, GeneralSpeech("not checked: the model serving now stays"), d.new)
    if keeps is None:
        # the fallback first (the current plan unless another is surely better), then the best on every
        # held-out recording
        frees = [d.free, *sorted((f for f in d.frees if f is not d.free), key=held_out_rank)]
        options += [Option(_plan(f, None, job.version, d.reason), label=f.label) for f in frees]
    job.progress("checking general speech", 0.85)
    plan, model_path, general = choose_plan(engine, job.config, options, terms, base.hf, base.ct2)
    if model_path is None and keeps is not None:
        return _Chosen(keeps, keeps.reason, general, d.new)
    if model_path is None and not any(c.passed for c in general.checks) and (kept := _kept(job, d)):
        return _Chosen(kept, kept.reason, general, d.new)
    if model_path is not None:
        served = general.checks[-1].candidate  # the option that kept general speech
        chosen = next(c for c in d.winners if c.label == served)
        reason = decide(d.frees, chosen, d.epochs)[1]
        model_path.rename(job.work / "model")
        exports.discard()
        return _Chosen(
            replace(plan, reason=reason), reason, general, chosen, job.work / "model", exports.learned
        )
    reason = d.reason
    if d.wins and d.winners:  # a winner dropped before this check already says why in the reason
        refused = "; ".join(
            f"{describe_label(c.candidate)}: {c.description}" for c in general.checks if not c.passed
        )
        reason = f"{reason}, but it failed the general-speech check ({refused})"
        plan = replace(plan, reason=reason)
    return _Chosen(plan, reason, general, d.new)


def _keeps_model(job: Job, d: _Decision) -> ServingPlan | None:
    """The plan served now, when a tuned model serves it: unless a new model is promoted, it stays.

    Why: that model learned from (most of) these recordings, so they cannot score it fairly against a free
    option, and it was promoted because it beat the free options on recordings it had not heard. Swapping
    it for a free option it already beat could leave the server worse off, which a retrain must never do;
    a moderator who wants the free option back has /rollback."""
    current = job.current
    if current is None or current.short.model == BASE:
        return None
    reason = (
        f"{d.reason}; {current.short.model} keeps serving: it learned from these recordings, so they cannot "
        "show a free option doing better than it"
    )
    return replace(current, reason=reason)


def _kept(job: Job, d: _Decision) -> ServingPlan | None:
    """When no plan kept general speech, the plain base is the gate's last resort; but a retrain never
    moves a server to a plan that does worse on its own held-out recordings than what it is served now.
    A tuned model serving now passed this gate when it was promoted, and a free option that beats the plain
    base on the server's recordings (its names) is not dropped for it either: the server keeps its plan."""
    current = job.current
    if current is None or current.short == PLAIN:
        return None
    if current.short.model == BASE:
        scored = {c.label: c for c in d.frees}
        now, plain = scored.get(f"{BASE}|{current.short.hint}"), scored.get(f"{BASE}|none")
        if now is None or plain is None or held_out_rank(plain) <= held_out_rank(now):
            return None
    reason = (
        f"{d.reason}; no plan kept general speech within its margin, and the plain base does worse on this "
        f"server's recordings, so it keeps {current.describe()}"
    )
    return replace(current, reason=reason)


def _plan(free: Candidate, new: Candidate | None, version: int, reason: str) -> ServingPlan:
    """Voice notes get the winner; long media keeps the base without hints (the only choice measured safe:
    hints drop stretches of long media, and held-out chunks are not the long media's served path)."""
    short = Route(f"v{version}", new.hint) if new is not None else Route(BASE, free.hint)
    return ServingPlan(short, Route(BASE, "none"), reason)


def _result(
    job: Job,
    data: GuildData,
    d: _Decision,
    folds: Sequence[FoldFit],
    final: _ServedFit | None,
    chosen: _Chosen,
) -> RetrainResult:
    dev_words = sum(len(c.text.split()) for c in data.clips if data.role_of(c) == "dev")
    free, new = bar(d.frees), chosen.new
    return RetrainResult(
        guild_id=job.guild_id,
        version=job.version,
        promoted=chosen.model is not None,
        reason=chosen.reason,
        serving=chosen.plan,
        serving_text=chosen.plan.describe(),
        pairs=len(data.clips),
        pair_ids=tuple(c.pair_id for c in data.clips),  # what the served model learned from (/forget)
        recordings=len(data.roles),
        folds=len(data.folds),
        held_out_words=data.words,
        dev_words=dev_words,
        test_words=data.words - dev_words,
        skipped=tuple(data.skipped[:20]),
        skipped_count=len(data.skipped),
        before=LabelledScores(free.label, free.test),
        after=LabelledScores(new.label, new.test) if new is not None else None,
        candidates=tuple(c.scores() for c in d.candidates),
        merge_scale=new.scale if new is not None else None,
        fold_best_epochs=tuple(f.best_epoch for f in folds),
        fold_curves=tuple(f.curve for f in folds),
        epochs=final.epochs if final is not None else None,
        curve=final.curve if final is not None else (),
        train_steps=sum(f.steps for f in folds) + (final.steps if final is not None else 0),
        train_seconds=round(sum(f.seconds for f in folds) + (final.seconds if final is not None else 0.0), 1),
        general_speech=chosen.general,
        learned_words=chosen.learned,
        soundalike_sentences=d.probes,
        soundalike_insertions=d.everyday,
    )


def _keep(job: Job, retrained: Retrained, result: RetrainResult) -> RetrainResult:
    """Publish the version folder: the served model, its adapter, the curve, metrics.json and the model card."""
    work, config = job.work, job.config
    title = f"server {job.guild_id}, model v{job.version}"
    plot_curve(result.fold_curves, result.curve, work / "curve.png", title=title)
    result = replace(
        result, curve_png=to_stored(config.data_dir, job.final_dir / "curve.png")
    )  # any data_dir
    shutil.rmtree(work / "folds", ignore_errors=True)
    (work / "metrics.json").write_text(json.dumps(result.to_json(), indent=1), encoding="utf-8")
    (work / "README.md").write_text(model_card(config, result), encoding="utf-8")
    _publish(work, job.final_dir)
    return result


def _publish(work: Path, final_dir: Path) -> None:
    """One rename makes the version folder appear whole; a leftover folder of a crashed run is replaced."""
    if final_dir.exists():
        shutil.rmtree(final_dir)
    work.rename(final_dir)
