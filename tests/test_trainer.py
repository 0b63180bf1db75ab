"""The trainer: the loop learns a community's words for real, promotes only a better model, and every fault
ends a job with a reason while the active model stays as it was."""

from __future__ import annotations

import asyncio
import functools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from bench.common import general_sentences
from bench.scenario import (
    EXTRA_HELD_OUT_SENTENCES,
    EXTRA_TRAINING_SENTENCES,
    HELD_OUT_SENTENCES,
    TERMS,
    TRAINING_SENTENCES,
    caption_and_correct,
    spoken,
)
from bot.core.config import load_config
from bot.core.store import Store
from bot.core.training_report import retrain_summary
from bot.service import CaptionService
from tests.cli_runner import run_cli
from trainer.decision import Candidate, bootstrap_confidence, decide, fallback
from trainer.evaluate import Scores, keyword_hits, score
from trainer.guard import paired_verdict

ROOT = Path(__file__).resolve().parents[1]
REAL_SPEECH = ROOT.parent / "shared" / "data" / "real-speech"
GUILD = 4242


trainer_cli = functools.partial(run_cli, "trainer", timeout=900)


async def caption_all(config, paths, guild: int = GUILD) -> list[tuple[str, str]]:
    service = await CaptionService.open(config)
    try:
        results = [await service.caption(guild, p) for p in paths]
    finally:
        await service.close()
    return [(r.text, r.model_version) for r in results]


# --- the loop learns ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def learned(tmp_path_factory, make_speech):
    """24 corrected voice notes, one retrain through the CLI, then captions of clips never trained on."""
    root = tmp_path_factory.mktemp("learning")
    config_file = root / "config.toml"
    config_file.write_text(f'[storage]\ndata_dir = "{root / "data"}"\n', encoding="utf-8")
    config = load_config(config_file)
    clips = root / "clips"
    train = spoken(TRAINING_SENTENCES + EXTRA_TRAINING_SENTENCES[:8], clips, "train")
    held = spoken(HELD_OUT_SENTENCES + EXTRA_HELD_OUT_SENTENCES, clips, "held")
    before = asyncio.run(caption_all(config, held.paths, guild=GUILD + 1))  # a guild with no vocabulary
    # a moderator approved the community's terms (they become hints and scored terms); 24 corrections follow
    asyncio.run(caption_and_correct(config, GUILD, train.paths, train.texts, terms=TERMS))
    hinted = asyncio.run(
        caption_all(config, held.paths)
    )  # the base with the proposed vocabulary as a glossary
    everyday = spoken(general_sentences(10, seed=7), clips, "everyday")  # no term, nobody corrected them
    everyday_hinted = asyncio.run(caption_all(config, everyday.paths))
    run = trainer_cli(config_file, "run", "--guild", str(GUILD), "--json")
    after = asyncio.run(caption_all(config, held.paths))
    return {
        "config": config,
        "run": run,
        "texts": held.texts,
        "before": before,
        "hinted": hinted,
        "after": after,
        "everyday_texts": everyday.texts,
        "everyday_base": asyncio.run(caption_all(config, everyday.paths, guild=GUILD + 1)),
        "everyday_hinted": everyday_hinted,
        "everyday_after": asyncio.run(caption_all(config, everyday.paths)),
    }


def _scores(texts, heard):
    return score(texts, [h for h, _ in heard], TERMS)


@pytest.mark.slow
@pytest.mark.timeout(2400)  # the module's retrain: 24 captions, 2 folds, the final model, real speech
def test_a_retrain_never_serves_worse_than_the_free_option_and_beats_it_when_promoted(learned):
    run = learned["run"]
    assert run.returncode == 0, run.stderr
    payload = json.loads(run.stdout)
    result = payload["result"]
    assert payload["status"] == "succeeded"
    assert result["pairs"] == 24 and result["held_out_words"] >= 150
    assert result["before"]["label"].startswith("base|") and result["before"]["keyword_total"] > 0
    base, free, served = (_scores(learned["texts"], learned[k]) for k in ("before", "hinted", "after"))
    print(
        f"unseen clips: base WER {base.wer:.3f} ({base.keyword_hits}/{base.keyword_total} terms), "
        f"base + glossary {free.wer:.3f} ({free.keyword_hits} terms, {free.false_insertions} inserted), "
        f"served after the retrain {served.wer:.3f} ({served.keyword_hits} terms, {served.false_insertions} "
        f"inserted): {result['serving_text']}; {result['reason']}"
    )
    assert free.keyword_hits > base.keyword_hits  # the default glossary already spells some terms
    assert served.wer <= free.wer + 0.02 and served.false_insertions <= free.false_insertions
    # Learning must pay where the free option is weak (issue 20): on coined words the glossary misses at
    # least a quarter of the terms or errs on 15% of words, and then a trainer that never promotes fails here.
    missed = free.keyword_total - free.keyword_hits
    assert missed >= free.keyword_total / 4 or free.wer >= 0.15, "the scenario no longer tests learning"
    assert result["promoted"], result["reason"]
    # the bar for a promoted model, on clips no model heard
    assert result["serving_text"].startswith("voice notes: v1")
    assert served.wer <= 0.8 * free.wer
    assert served.keyword_total - served.keyword_hits <= (free.keyword_total - free.keyword_hits) / 2
    assert served.false_insertions == 0 and served.runaway_clips == 0
    assert all(version == "v1" for _, version in learned["after"])


@pytest.mark.slow
@pytest.mark.timeout(2400)  # the module's retrain: 24 captions, 2 folds, the final model, real speech
def test_everyday_speech_is_no_worse_after_the_retrain(learned):
    """Measured here, not read from the gate: ten everyday sentences nobody corrected, captioned for a server
    with nothing learned, for this server before its retrain (terms approved) and after it. A retrain that
    makes everyday speech worse fails here, whatever the trainer's own gate said."""
    texts = learned["everyday_texts"]
    base, hinted, after = (
        score(texts, [h for h, _ in learned[k]], TERMS)
        for k in ("everyday_base", "everyday_hinted", "everyday_after")
    )
    print(
        f"everyday speech: base {base.wer:.3f}, terms approved {hinted.wer:.3f}, after the retrain {after.wer:.3f}"
    )
    assert after.false_insertions == 0 and hinted.false_insertions == 0
    assert after.wer <= base.wer + 0.02 and after.wer <= hinted.wer + 0.02


def test_general_speech_was_checked_on_real_recordings(learned):
    result = json.loads(learned["run"].stdout)["result"]
    general = result["general_speech"]
    checks = general["checks"]
    assert checks, general  # the glossary plan at least is checked: the vocabulary is approved
    for check in checks:  # each plan tried, best first, is passed or refused by the paired margin
        assert check["passed"] == (check["errors"] - check["base_errors"] <= check["allowed_extra_words"])
    if checks[-1]["passed"]:
        assert checks[-1]["plan"] == result["serving_text"]
    else:
        assert result["serving_text"] == "voice notes: base; long media: base"
    if REAL_SPEECH.is_dir():  # CI and developers have shared/ beside the project
        assert general["set"] == str(REAL_SPEECH) and all(c["words"] > 900 for c in checks)


@pytest.mark.slow
@pytest.mark.timeout(2400)  # the module's retrain: 24 captions, 2 folds, the final model, real speech
def test_the_promoted_version_is_complete_and_recorded(learned):
    config = learned["config"]
    result = json.loads(learned["run"].stdout)["result"]
    if not result["promoted"]:
        db = sqlite3.connect(config.database_path)
        assert db.execute("SELECT COUNT(*) FROM model_versions").fetchone() == (0,)
        db.close()
        assert not (config.data_dir / "models" / str(GUILD)).exists() or not any(
            (config.data_dir / "models" / str(GUILD)).iterdir()
        )  # a refused model leaves no folder
        return
    folder = config.data_dir / "models" / str(GUILD) / "v1"
    for name in (
        "model/model.bin",
        "model/tokenizer.json",
        "adapter/adapter_config.json",
        "metrics.json",
        "README.md",
        "curve.png",
    ):
        assert (folder / name).exists(), name
    assert (folder / "curve.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # the words it learned travel with it: a caption using none of them is the base's (bot/core/transcription/learned_words.py)
    learned = json.loads((folder / "model" / "learned_words.json").read_text(encoding="utf-8"))
    assert learned == result["learned_words"] and {t.lower() for t in TERMS} <= set(learned)
    told = retrain_summary(result)  # what the server is told
    assert "Voice notes where it hears a word it learned (" in told
    assert len(result["curve"]) == result["epochs"] + 1 and 1 <= result["epochs"] <= config.training.epochs
    db = sqlite3.connect(config.database_path)
    rows = db.execute(
        "SELECT version, status, path FROM model_versions WHERE guild_id = ?", (GUILD,)
    ).fetchall()
    plan = json.loads(
        db.execute("SELECT serving_plan FROM guild_settings WHERE guild_id = ?", (GUILD,)).fetchone()[0]
    )
    db.close()
    assert rows == [(1, "active", f"models/{GUILD}/v1/model")]  # relative to data_dir: any mount point
    assert plan["short"]["model"] == "v1" and plan["long"] == {"model": "base", "hint": "none"}
    assert not list(folder.parent.glob(".*"))  # no half-built folder left


# --- faults and refusals (no training needed) -------------------------------------------------------------


def test_too_little_held_out_speech_says_how_many_more_corrections(config_file, make_speech):
    config = load_config(config_file)
    texts = ["The Zorblax server restarts tonight.", "Add more Quindle nodes.", "Mervathon runs the stream."]
    asyncio.run(caption_and_correct(config, GUILD, [make_speech(t) for t in texts], texts))
    result = trainer_cli(config_file, "run", "--guild", str(GUILD))
    assert result.returncode == 2
    line = result.stderr.strip().splitlines()[-1]
    assert "13 words, 150 needed" in line and "correct about 32 more voice notes" in line, line
    db = sqlite3.connect(config.database_path)
    assert db.execute("SELECT COUNT(*) FROM model_versions").fetchone() == (0,)
    assert db.execute("SELECT serving_plan FROM guild_settings WHERE guild_id = ?", (GUILD,)).fetchone() in (
        None,
        (None,),
    )
    db.close()


def test_too_few_pairs_fails_the_job_with_a_reason(config_file):
    result = trainer_cli(config_file, "run", "--guild", "9")
    assert result.returncode == 2
    assert "0 training pairs; at least 2 are needed" in result.stderr
    db = sqlite3.connect(load_config(config_file).database_path)
    status, message = db.execute("SELECT status, message FROM jobs").fetchone()
    db.close()
    assert status == "failed" and "at least 2" in message


def test_corrections_of_one_recording_only_are_refused(config_file, make_speech):
    config = load_config(config_file)
    sentence = "The Zorblax server restarts every night at midnight."
    path = make_speech(sentence)
    asyncio.run(caption_and_correct(config, GUILD, [path, path], [sentence, sentence]))
    result = trainer_cli(config_file, "run", "--guild", str(GUILD))
    assert result.returncode == 2
    assert "at least two different recordings" in result.stderr


def test_deleted_audio_is_reported_not_crashed_on(config_file, make_speech):
    config = load_config(config_file)
    # Under four words each: a correction of a clip the base badly misheard always trains (a longer one that
    # shares under a fifth of its words with the caption trains nothing, and one full run lost a pair so)
    texts = ["Quindle nodes ready.", "Mervathon is online."]
    asyncio.run(caption_and_correct(config, GUILD, [make_speech(t) for t in texts], texts))
    for wav in (config.data_dir / "audio" / str(GUILD)).glob("*.wav"):
        wav.write_bytes(b"RIFF garbage")
    result = trainer_cli(config_file, "run", "--guild", str(GUILD))
    assert result.returncode == 2
    assert "has audio left" in result.stderr


def test_a_hub_base_without_its_weights_offline_says_which_and_how_to_get_them(
    config_file, make_speech, tmp_path
):
    """A trainer configured for base "small" (the bot captioned with the bundled model), offline, with an
    empty Hugging Face cache: the job fails in one line naming openai/whisper-small, its size and the
    command that fetches it elsewhere; nothing is trained or recorded."""
    config = load_config(config_file)
    texts = ["The Zorblax server restarts tonight.", "Add more Quindle nodes."]
    asyncio.run(caption_and_correct(config, GUILD, [make_speech(t) for t in texts], texts))
    small = tmp_path / "small.toml"
    small.write_text(
        config_file.read_text().replace("min_pairs = 2", "min_pairs = 2\nmin_decision_words = 0")
        + '\n[model]\nbase = "small"\n',
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "trainer", "--config", str(small), "run", "--guild", str(GUILD)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "empty-hf-cache")},
    )
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(
        'error: retrain failed: training [model] base = "small" needs the Hugging Face weights'
    )
    assert "openai/whisper-small (about 0.97 GB)" in line and "`hf download openai/whisper-small" in line
    db = sqlite3.connect(config.database_path)
    assert db.execute("SELECT status FROM jobs").fetchall() == [("failed",)]
    assert db.execute("SELECT COUNT(*) FROM model_versions").fetchone() == (0,)
    db.close()
    assert not list((config.data_dir / "models").glob(f"{GUILD}/*"))


def test_too_little_free_disk_fails_the_job_before_training(config_file, make_speech):
    """With less free space than [training] min_free_disk_gb the job fails at once, saying how much is
    free and which setting asks for more, and nothing is written."""
    config_file.write_text(
        config_file.read_text().replace("min_pairs = 2", "min_pairs = 2\nmin_free_disk_gb = 1e9")
    )
    config = load_config(config_file)
    texts = ["Quindle nodes are ready.", "Mervathon is online."]
    asyncio.run(caption_and_correct(config, GUILD, [make_speech(t) for t in texts], texts))
    result = trainer_cli(config_file, "run", "--guild", str(GUILD))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    expected = (
        f"GB free in {config.data_dir}/; a retrain needs [training] min_free_disk_gb = 1000000000.0;"
        " nothing was changed"
    )
    assert lines[0].startswith("error: retrain failed: only ") and lines[0].endswith(expected), lines[0]
    db = sqlite3.connect(config.database_path)
    status, message = db.execute("SELECT status, message FROM jobs WHERE guild_id = ?", (GUILD,)).fetchone()
    assert db.execute("SELECT COUNT(*) FROM model_versions").fetchone() == (0,)
    db.close()
    assert status == "failed" and lines[0].endswith(message) and message.startswith("only ")
    assert not (config.data_dir / "models" / str(GUILD)).exists()


def test_a_second_job_for_the_same_guild_is_refused(config_file):
    config = load_config(config_file)

    async def hold_a_job():
        store = await Store.open(config.database_path)
        await store.enqueue_job(GUILD, requested_by=1, running_pid=os.getpid())
        await store.close()

    asyncio.run(hold_a_job())
    result = trainer_cli(config_file, "run", "--guild", str(GUILD))
    assert result.returncode == 2
    assert "already running" in result.stderr


@pytest.mark.parametrize(
    "moment",
    [
        ".v1.tmp",
        ".v1.tmp/folds/0/.model-*.tmp-*",
    ],  # the version folder being built: training; then the export under way
    ids=["during-training", "during-export"],
)
def test_a_killed_worker_leaves_a_failed_job_and_no_model(config_file, make_speech, moment):
    """kill -9 in training or export: the next start fails the job with a reason and clears the half-built folder."""
    with config_file.open("a", encoding="utf-8") as f:
        f.write(
            "epochs = 1\nmin_decision_words = 0\n"
        )  # appended to the fixture's [training]: reach the export sooner
    config = load_config(config_file)
    texts = ["The Zorblax server restarts tonight.", "Add more Quindle nodes.", "Mervathon runs the stream."]
    asyncio.run(caption_and_correct(config, GUILD, [make_speech(t) for t in texts], texts))
    process = subprocess.Popen(
        [sys.executable, "-m", "trainer", "--config", str(config_file), "run", "--guild", str(GUILD)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    models = config.data_dir / "models" / str(GUILD)
    deadline = time.monotonic() + 300
    while not list(models.glob(moment)) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    assert list(models.glob(moment)), f"{moment} never appeared"
    process.send_signal(signal.SIGKILL)
    process.wait()
    recovered = trainer_cli(config_file, "worker", "--idle-exit", "0")
    assert recovered.returncode == 0, recovered.stderr
    db = sqlite3.connect(config.database_path)
    status, message = db.execute("SELECT status, message FROM jobs").fetchone()
    models_rows = db.execute("SELECT COUNT(*) FROM model_versions").fetchone()[0]
    db.close()
    assert status == "failed" and "killed or out of memory" in message
    assert models_rows == 0
    assert not list(models.glob(".*"))


# --- the decision and the scores ----------------------------------------------------------------------------


def cand(label: str, dev: Scores, test: Scores) -> Candidate:
    """A candidate whose test errors (each inserted term once more) are spread evenly over 12 recordings, as
    a consistent win or loss is; the bootstrap's own test below shows an uneven one."""
    errors = round(test.wer * test.words) + test.false_insertions
    return Candidate(label, dev, test, tuple(errors // 12 + (i < errors % 12) for i in range(12)))


def test_promotion_needs_a_win_on_test_without_inserted_terms_or_runaway_text():
    def candidate(label, wer, false=0, runaway=0, hits=3, dev_wer=None):
        scores = Scores(wer, hits, 4, false, runaway, 100)
        return cand(label, Scores(dev_wer, hits, 4, false, runaway, 100) if dev_wer else scores, scores)

    free = [candidate("base|glossary", 0.3)]
    assert decide(free, candidate("new@0.5|none", 0.1), [3, 4])[0]
    assert not decide(free, candidate("new@0.5|none", 0.3), [3, 4])[0]  # not better
    assert not decide(free, candidate("new@0.5|none", 0.1, false=1), [3, 4])[0]  # inserts a term nobody said
    assert not decide(free, candidate("new@0.5|none", 0.1, runaway=1), [3, 4])[0]  # repeats itself
    assert not decide(free, candidate("new@0.5|none", 0.1, hits=2), [3, 4])[0]  # misses a term glossary got
    promote, reason = decide(free, candidate("new@0.5|none", 0.1), [0, 0])
    assert not promote and "best epoch 0" in reason
    # Dev preferred hotwords, but on test the glossary is better: the new model must beat the glossary too.
    frees = [candidate("base|hotwords", 0.40, dev_wer=0.2), candidate("base|glossary", 0.25, dev_wer=0.3)]
    promote, reason = decide(frees, candidate("new@0.25|none", 0.26), [3, 4])
    assert not promote and "base with glossary" in reason and "0.250 -> 0.260" in reason
    assert decide(frees, candidate("new@0.5|none", 0.2), [3, 4])[0]
    # Hotwords the best on test WER by spamming terms (the acceptance bench, seed 0): 12 of 14 right with 13
    # inserted. A clean model with 11 right and none inserted is better at terms, not worse.
    hotwords = cand("base|hotwords", Scores(0.63, 9, 14, 8, 0, 93), Scores(0.413, 12, 14, 13, 0, 92))
    glossary = cand("base|glossary", Scores(0.58, 8, 14, 5, 0, 93), Scores(0.467, 10, 14, 7, 0, 92))
    plain = cand("base|none", Scores(0.56, 0, 14, 0, 0, 93), Scores(0.522, 0, 14, 0, 0, 92))
    clean = cand("new@1.0|none", Scores(0.19, 11, 14, 0, 0, 93), Scores(0.163, 11, 14, 0, 0, 92))
    assert decide([plain, glossary, hotwords], clean, [8, 8]) == (
        True,
        "test WER 0.413 (base with hotwords) -> 0.163",
    )
    sloppy = cand("new@1.0|none", clean.dev, Scores(0.163, 12, 14, 1, 0, 92))
    promote, reason = decide([plain, glossary, hotwords], sloppy, [8, 8])
    assert not promote and "inserted 1 terms nobody said (base: 0)" in reason  # the plain base inserts none


def test_when_no_model_wins_the_free_option_best_on_every_held_out_recording_serves():
    """The bench case: dev alone preferred hotwords, which inserted 9 terms on test; both halves together
    pick the glossary. Inserted terms count against an option as errors do."""
    glossary = cand("base|glossary", Scores(0.366, 8, 12, 0, 0, 90), Scores(0.240, 9, 12, 0, 0, 96))
    hotwords = cand("base|hotwords", Scores(0.247, 10, 12, 2, 0, 90), Scores(0.458, 11, 12, 9, 0, 96))
    plain = cand("base|none", Scores(0.462, 0, 12, 0, 0, 90), Scores(0.604, 0, 12, 0, 0, 96))
    assert min([glossary, hotwords, plain], key=Candidate.rank) is hotwords  # what dev alone chose
    assert fallback([plain, hotwords, glossary]) is glossary
    noisy = cand("base|hotwords", Scores(0.30, 10, 12, 6, 0, 90), Scores(0.30, 11, 12, 6, 0, 96))
    clean = cand("base|glossary", Scores(0.33, 8, 12, 0, 0, 90), Scores(0.33, 9, 12, 0, 0, 96))
    assert fallback([noisy, clean]) is clean  # 0.30 + 12 inserted terms in 186 words is worse than 0.33
    # The scenario bench, seed 0: one runaway clip does not outweigh 12 inserted terms and 10 more errors.
    spammer = cand("base|hotwords", Scores(0.340, 9, 14, 8, 0, 97), Scores(0.370, 10, 14, 4, 0, 92))
    runaway = cand("base|glossary", Scores(0.216, 10, 14, 0, 0, 97), Scores(0.391, 13, 14, 0, 1, 92))
    assert fallback([spammer, runaway]) is runaway


def test_the_free_option_served_now_is_replaced_only_by_one_surely_better_on_the_recordings():
    """Kitchen, one seed: with no model promoted the server went from its glossary to hotwords on 0.511
    against 0.522 (penalised WER over 24 recordings), a coin flip, and hotwords write twice the glossary's
    terms into everyday speech. The plan served now keeps its place unless another free option makes fewer
    errors on 90% of resamples of the recordings, as a new model must."""

    def option(label: str, per_recording: tuple[int, ...]) -> Candidate:
        words, errors = 8 * len(per_recording), sum(per_recording)
        scores = Scores(errors / words, 6, 12, 0, 0, words)
        return Candidate(label, scores, scores, per_recording, per_recording)

    glossary = option("base|glossary", (4, 3, 5, 4, 3, 4, 5, 3, 4, 4, 3, 5))  # 47 errors
    hotwords = option("base|hotwords", (2, 6, 3, 6, 1, 5, 4, 4, 2, 5, 2, 5))  # 45: better, not surely
    assert fallback([glossary, hotwords]) is hotwords  # a server never told what it has: the best serves
    assert fallback([glossary, hotwords], current="base|glossary") is glossary
    sure = option("base|hotwords", (3, 2, 4, 3, 2, 3, 4, 2, 3, 3, 2, 4))  # one fewer on every recording
    assert fallback([glossary, sure], current="base|glossary") is sure
    assert fallback([glossary, hotwords], current="base|hotwords") is hotwords  # served now and best


def test_a_win_that_rests_on_one_or_two_recordings_is_not_promoted():
    """Paired bootstrap over the test recordings: the same total gain, once spread over every recording and
    once all from one recording (with small losses elsewhere), promotes only the first."""
    free = Candidate("base|glossary", Scores(0.3, 3, 4, 0, 0, 120), Scores(0.3, 3, 4, 0, 0, 120), (3,) * 12)
    steady = Candidate("new@1.0|none", free.dev, Scores(0.2, 3, 4, 0, 0, 120), (2,) * 12)
    assert bootstrap_confidence(steady.test_recordings, free.test_recordings) == 1.0
    assert decide([free], steady, [3, 3])[0]
    lucky = Candidate("new@1.0|none", free.dev, Scores(0.283, 3, 4, 0, 0, 120), (0,) + (3,) * 10 + (4,))
    promote, reason = decide([free], lucky, [3, 3])
    assert not promote and "resamples" in reason, reason


def test_when_no_plan_keeps_general_speech_the_server_keeps_what_it_has_unless_the_base_does_better():
    """Issue 20's fall: the real-speech gate refused the glossary too, and a server of names fell to the plain
    base with 13 of 15 names missed. The gate's last resort may not do worse on the server's own recordings
    than the plan it is served now."""
    from bot.core.config import config_from_dict
    from bot.core.transcription.serving import Route, ServingPlan, default_plan
    from trainer.pipeline import Job, _Decision, _kept

    glossary = cand("base|glossary", Scores(0.10, 14, 15, 0, 0, 120), Scores(0.06, 14, 15, 0, 0, 120))
    plain = cand("base|none", Scores(0.25, 2, 15, 0, 0, 120), Scores(0.25, 2, 15, 0, 0, 120))
    decision = _Decision([glossary, plain], [glossary, plain], glossary, None, [0], False, "no model won", [])

    def job(current: ServingPlan | None) -> Job:
        return Job(config_from_dict({}), 1, 2, lambda stage, fraction: None, current)

    kept = _kept(job(default_plan("glossary")), decision)
    assert kept is not None and kept.short == Route("base", "glossary"), kept
    assert "plain base does worse on this server's recordings" in kept.reason
    tuned = ServingPlan(Route("v1", "glossary"), Route("base"), "promoted")
    assert _kept(job(tuned), decision) is not None and _kept(job(tuned), decision).short.model == "v1"
    # The control: where the plain base does better on the server's recordings, it is the last resort.
    worse = cand("base|glossary", Scores(0.40, 14, 15, 9, 0, 120), Scores(0.40, 14, 15, 9, 0, 120))
    better_plain = _Decision([worse, plain], [worse, plain], plain, None, [0], False, "no model won", [])
    assert _kept(job(default_plan("glossary")), better_plain) is None
    assert _kept(job(None), decision) is None  # nothing known: the plain base, as before


def test_a_refused_retrain_leaves_a_tuned_model_serving_and_a_free_plan_to_the_free_options():
    """A server served by its model v1 retrains and the new model is refused: the server keeps v1 (with its
    hint) instead of the free option v1 was promoted over; its recordings trained v1, so they cannot show
    the free option doing better. The control: a server on a free plan gets the retrain's free option."""
    from bot.core.config import config_from_dict
    from bot.core.transcription.serving import Route, ServingPlan, default_plan
    from trainer.pipeline import Job, _check_general_speech, _Decision, _keeps_model

    glossary = cand("base|glossary", Scores(0.10, 14, 15, 0, 0, 120), Scores(0.10, 14, 15, 0, 0, 120))
    refused = _Decision([glossary], [glossary], glossary, None, [8], False, "the model inserted 1 term", [])

    def job(current: ServingPlan | None) -> Job:
        return Job(config_from_dict({}), 1, 2, lambda stage, fraction: None, current)

    tuned = ServingPlan(Route("v1", "glossary"), Route("base"), "promoted")
    chosen = _check_general_speech(job(tuned), None, refused, None, None, ())  # type: ignore[arg-type]
    assert chosen.plan.short == Route("v1", "glossary") and chosen.plan.long == Route("base")
    assert "the model inserted 1 term" in chosen.reason and "v1 keeps serving" in chosen.reason
    assert _keeps_model(job(default_plan("glossary")), refused) is None
    assert _keeps_model(job(None), refused) is None


def test_a_new_model_replaces_the_tuned_model_serving_now_only_with_no_more_errors_on_what_it_never_heard():
    """A server served by v1 retrains: the new model must also make no more errors than v1 on the recordings
    v1 never trained on (the only ones that can score v1); where every recording trained v1, v1 stays."""
    import numpy as np

    from bot.core.config import config_from_dict
    from bot.core.transcription.serving import Route, ServingPlan
    from trainer.dataset import Clip, GuildData
    from trainer.decision import errors_against
    from trainer.pipeline import Incumbent, Job, _against_incumbent, _Decision, fresh_clips

    said = ["Zorblax restarts the nodes", "Quindle meets on Monday"]
    assert errors_against(said, said, ["Zorb lax restarts the notes", "Quindle meets on Monday"], []) == (
        0,
        3,
    )
    worse, now = errors_against(said, ["the blacks restarts nodes", "Kindle meets Monday"], said, [])
    assert worse > now == 0  # refused: more errors than the model serving now

    silence = np.zeros(16000, dtype=np.float32)
    clips = [Clip(silence, said[0], 1, 10), Clip(silence, said[1], 2, 11), Clip(silence, said[1], 3, -1)]
    data = GuildData(clips, [], {1: "test", 2: "test", 3: "test"}, [])
    v1 = Incumbent(Path("/nonexistent"), "v1", frozenset({10}))
    assert fresh_clips(data, v1) == [1]  # pair 11 is new; a packed window (-1) is never counted
    glossary = cand("base|glossary", Scores(0.3, 1, 2, 0, 0, 8), Scores(0.3, 1, 2, 0, 0, 8))
    new = cand("new@1.0|glossary", Scores(0.1, 2, 2, 0, 0, 8), Scores(0.1, 2, 2, 0, 0, 8))
    won = _Decision([glossary, new], [glossary], glossary, new, [8], True, "test WER 0.3 -> 0.1", [new])
    tuned = ServingPlan(Route("v1", "glossary"), Route("base"), "promoted")
    job = Job(
        config_from_dict({}),
        1,
        2,
        lambda stage, fraction: None,
        tuned,
        Incumbent(v1.path, "v1", frozenset({10, 11})),
    )
    kept = _against_incumbent(job, None, data, {}, [], won)  # type: ignore[arg-type]
    assert kept.winners == [] and "every recording trained v1" in kept.reason
    free = Job(config_from_dict({}), 1, 2, lambda stage, fraction: None, None, None)
    assert _against_incumbent(free, None, data, {}, [], won) is won  # no model serving now: nothing to beat


def test_the_real_speech_gate_refuses_the_loss_the_notes_measured():
    """58 -> 71 errors in 926 words (0.058 -> 0.072, the notes' forgetting) is refused; noise is not."""
    names = [f"f{i}" for i in range(12)]
    base = [(5, 77)] * 11 + [(3, 79)]
    worse = [(6, 77)] * 11 + [(5, 79)]  # 13 more errors, spread over every file
    noisy = [(5, 77)] * 10 + [(6, 77), (4, 79)]
    assert not paired_verdict(names, base, worse, 0.1, []).passed
    assert paired_verdict(names, base, noisy, 0.1, []).passed


def test_unreadable_general_speech_is_skipped_and_counted_not_scored_empty(make_speech, tmp_path):
    from bot.core.config import config_from_dict
    from trainer.guard import real_speech_set

    folder = tmp_path / "speech"
    folder.mkdir()
    good = make_speech("The weather was cold this morning.")
    (folder / "good.wav").write_bytes(good.read_bytes())
    (folder / "broken.flac").write_bytes(b"not audio at all")
    (folder / "refs.tsv").write_text(
        "file\tseconds\ttext\ngood.wav\t2\tThe weather was cold this morning.\nbroken.flac\t3\tAnything.\n",
        encoding="utf-8",
    )
    speech = real_speech_set(folder, tmp_path / "cache", config_from_dict({}).media)
    assert speech.names == ["good.wav"] and len(speech.clips) == 1
    assert len(speech.skipped) == 1 and speech.skipped[0].startswith("broken.flac: unreadable")


@pytest.fixture(scope="module")
def tiny_fit(make_speech, tmp_path_factory):
    """Two generated pairs, the bundled base in Hugging Face form, and a 2-epoch fit of them on the CPU."""
    from bot.core.config import config_from_dict
    from bot.core.media.audio import load_audio
    from trainer.dataset import Clip
    from trainer.pipeline import base_weights
    from trainer.train import fit_adapter

    folder = tmp_path_factory.mktemp("tiny-fit")
    config = config_from_dict({"storage": {"data_dir": str(folder)}, "training": {"epochs": 2}})
    base_hf, _ = base_weights(config)
    texts = ["The Zorblax server restarts tonight.", "Add more Quindle nodes."]
    clips = [Clip(load_audio(make_speech(t)), t, i) for i, t in enumerate(texts)]
    fit = fit_adapter(base_hf, clips, clips[:1], config.training, epochs=2)
    return base_hf, clips, config, fit


def _lora(fit) -> dict:
    return {k: v for k, v in fit.model.state_dict().items() if "lora_" in k}


def test_the_same_pairs_and_seed_give_the_same_adapter(tiny_fit):
    import torch

    from trainer.train import fit_adapter

    base_hf, clips, config, fit = tiny_fit
    first, second = _lora(fit), _lora(fit_adapter(base_hf, clips, clips[:1], config.training, epochs=2))
    assert first and all(torch.equal(first[k], second[k]) for k in first)


def test_the_accelerate_path_trains_the_same_adapter_as_the_plain_loop(tiny_fit):
    """The loop a GPU or `accelerate launch` runs, here on the CPU: same windows, dropout, steps, stop."""
    import torch

    from trainer.device import accelerator
    from trainer.train import fit_adapter

    base_hf, clips, config, plain = tiny_fit
    built = accelerator.cache_info().misses
    accelerated = fit_adapter(base_hf, clips, clips[:1], config.training, epochs=2, accelerate=True)
    assert (
        accelerator.cache_info().misses + accelerator.cache_info().hits > built
    )  # it went through Accelerate
    want, got = _lora(plain), _lora(accelerated)
    assert want.keys() == got.keys() and all(torch.allclose(want[k], got[k], atol=1e-6) for k in want)
    assert [e["dev_loss"] for e in accelerated.curve] == pytest.approx([e["dev_loss"] for e in plain.curve])
    assert accelerated.steps == plain.steps and accelerated.best_epoch == plain.best_epoch == 2


TEAM = """
import sys
from pathlib import Path

import torch

from bot.core.media.audio import load_audio
from bot.core.config import config_from_dict
from trainer import team
from trainer.dataset import Clip
from trainer.device import accelerator, launched_processes
from trainer.train import fit_adapter

base_hf, out, *audio = sys.argv[1:]
texts = ["The Zorblax server restarts tonight.", "Add more Quindle nodes."]
assert launched_processes() == 2
if not accelerator("cpu").is_main_process:
    print("follower ran", team.follow(), "fit", flush=True)
    sys.exit(0)
config = config_from_dict({"training": {"epochs": 2, "device": "cpu"}})
clips = [Clip(load_audio(Path(p)), t, i) for i, (p, t) in enumerate(zip(audio, texts, strict=True))]
fit = fit_adapter(Path(base_hf), clips, clips[:1], config.training, epochs=2)
lora = {k: v for k, v in fit.model.state_dict().items() if "lora_" in k}
dev_losses = [e["dev_loss"] for e in fit.curve]
torch.save({"lora": lora, "steps": fit.steps, "best_epoch": fit.best_epoch, "dev_losses": dev_losses}, out)
team.dismiss()
print("main done", flush=True)
"""


@pytest.mark.slow
def test_two_processes_of_accelerate_launch_train_one_fit_together(tiny_fit, make_speech, tmp_path):
    """Two launched processes on the CPU (gloo), as `accelerate launch` starts them on GPUs: the main one announces its fit, the other
    joins it and is dismissed at the end. Both hold the same single window (Accelerate repeats it to even the
    shards), so the averaged gradients are the plain loop's own and the adapter is the plain loop's, up to the
    rounding of float32 sums taken in another order."""
    import torch

    base_hf, _, _, plain = tiny_fit
    texts = ["The Zorblax server restarts tonight.", "Add more Quindle nodes."]
    script, out = tmp_path / "team.py", tmp_path / "adapter.pt"
    script.write_text(TEAM, encoding="utf-8")
    port = _free_port()
    launch = [  # what `accelerate launch --multi_gpu` runs; on the CPU it would need mpirun instead
        sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--master_port", str(port),
        str(script), str(base_hf), str(out), *(str(make_speech(t)) for t in texts),
    ]  # fmt: skip
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    result = subprocess.run(launch, capture_output=True, text=True, cwd=ROOT, timeout=600, env=env)
    assert result.returncode == 0, (result.returncode, result.stderr[-3000:])
    # the two processes share one pipe, so their lines can interleave ("main donefollower ran\n 1 fit")
    said = " ".join(result.stdout.split())
    assert "follower ran 1 fit" in said and "main done" in said, result.stdout
    team = torch.load(out)
    assert team["steps"] == plain.steps and team["best_epoch"] == plain.best_epoch == 2
    assert team["dev_losses"] == pytest.approx([e["dev_loss"] for e in plain.curve], rel=1e-3)
    want, got = _lora(plain), team["lora"]
    assert want.keys() == got.keys()
    # Not bit-exact, and not meant to be: the launched processes run one thread each and the plain loop as
    # many as the CPU has, so matrix products sum their float32 terms in another order (and differently again
    # on another CPU's kernels); Adam then carries those last-bit differences through 2 epochs of updates.
    # Measured on a 2-core AMD EPYC: the weights drift 2e-4 (0.4% of the largest), the logits (up to 32) by
    # 2.5e-5, a few float32 steps, while the adapter moves them up to 14.5 from the base's. A fit that went
    # wrong (other windows, steps or schedule) changes them by the size of that effect; so: the same words
    # decoded, and logits within 0.1% of the adapter's effect (about 600 times the drift measured).
    base = {k: torch.zeros_like(v) if "lora_B" in k else v for k, v in want.items()}  # B = 0: the base
    (base_logits, _), (want_logits, want_words), (got_logits, got_words) = (
        _adapter_outputs(tiny_fit, lora) for lora in (base, want, got)
    )
    effect = float((want_logits - base_logits).abs().max())
    drift = float((got_logits - want_logits).abs().max())
    assert effect > 1.0 and drift < effect / 1000, (drift, effect)
    assert got_words == want_words, (got_words, want_words)


def _adapter_outputs(tiny_fit, lora: dict) -> tuple:
    """What an adapter makes of the fit's clips: the teacher-forced logits of their texts, and what greedy
    decoding writes for each."""
    import torch

    from trainer.dataset import WhisperInputs, collate
    from trainer.train import lora_model

    base_hf, clips, config, _ = tiny_fit
    model, _ = lora_model(base_hf, config.training)
    missing, unexpected = model.load_state_dict(lora, strict=False)
    assert not unexpected and not [k for k in missing if "lora_" in k]
    model.eval()
    inputs = WhisperInputs(base_hf, "en")
    rows = inputs.dataset(clips)
    batch = collate([rows[i] for i in range(len(clips))])
    with torch.no_grad():
        logits = model(**batch).logits
        ids = model.generate(input_features=batch["input_features"], max_new_tokens=40)
    return logits, [t.strip() for t in inputs.tokenizer.batch_decode(ids, skip_special_tokens=True)]


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_launched_worker_serves_the_queue_in_its_main_process_and_stops_with_its_team(config_file):
    """`trainer worker` as two launched processes: the main one claims the queued job and ends it (too few
    pairs: failed, with the reason), the other waits for fits that never come; idle, the main one dismisses
    it and both exit cleanly."""
    config = load_config(config_file)

    async def queue() -> int:
        store = await Store.open(config.database_path)
        try:
            return await store.enqueue_job(9, requested_by=1)
        finally:
            await store.close()

    job_id = asyncio.run(queue())
    launch = [
        sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--master_port", str(_free_port()),
        "-m", "trainer", "--config", str(config_file), "worker", "--idle-exit", "1",
    ]  # fmt: skip
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    result = subprocess.run(launch, capture_output=True, text=True, cwd=ROOT, timeout=300, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    db = sqlite3.connect(config.database_path)
    status, message = db.execute("SELECT status, message FROM jobs WHERE id = ?", (job_id,)).fetchone()
    db.close()
    assert status == "failed" and "0 training pairs; at least 2 are needed" in message
    log = (config.data_dir / "logs" / "trainer.log").read_text(encoding="utf-8")
    assert "another trainer worker is running" not in log  # the second process followed, it did not compete


def test_a_cuda_device_without_a_gpu_is_one_clear_line(tiny_fit):
    import torch

    from bot.core.errors import UserError
    from trainer.train import fit_adapter

    if torch.cuda.is_available():
        pytest.skip("this machine has a CUDA GPU")
    base_hf, clips, config, _ = tiny_fit
    cuda = replace(config.training, device="cuda")
    with pytest.raises(UserError, match=r'^\[training\] device = "cuda", but torch sees no CUDA GPU'):
        fit_adapter(base_hf, clips, clips[:1], cuda, epochs=1)


def test_a_decoder_only_adapter_leaves_the_merged_encoder_as_the_base(make_speech, tmp_path):
    import torch
    from transformers import WhisperForConditionalGeneration

    from bot.core.config import config_from_dict
    from bot.core.media.audio import load_audio
    from trainer.dataset import Clip
    from trainer.pipeline import base_weights
    from trainer.train import fit_adapter, merge_adapter

    config = config_from_dict(
        {"storage": {"data_dir": str(tmp_path)}, "training": {"lora_parts": ["decoder"]}}
    )
    base_hf, _ = base_weights(config)
    text = "The Zorblax server restarts tonight."
    fit = fit_adapter(base_hf, [Clip(load_audio(make_speech(text)), text, 0)], [], config.training, epochs=1)
    merged = merge_adapter(base_hf, fit.save_adapter(tmp_path / "adapter"), 1.0, tmp_path / "merged")
    base, tuned = (WhisperForConditionalGeneration.from_pretrained(p).state_dict() for p in (base_hf, merged))
    encoder = [k for k in base if ".encoder.layers." in k]
    decoder_q = [k for k in base if ".decoder.layers." in k and k.endswith("self_attn.q_proj.weight")]
    assert encoder and all(torch.equal(base[k], tuned[k]) for k in encoder)
    assert decoder_q and any(not torch.equal(base[k], tuned[k]) for k in decoder_q)


def test_timestamp_labels_put_each_packed_pair_between_its_times_and_replay_is_spoken_once(tmp_path):
    import random

    import numpy as np

    from bot.core.config import config_from_dict
    from trainer.dataset import Clip, WhisperInputs, pack
    from trainer.pipeline import base_weights
    from trainer.replay import REPLAY_SENTENCES, replay_clips

    base_hf, _ = base_weights(config_from_dict({"storage": {"data_dir": str(tmp_path)}}))
    silence = lambda seconds: np.zeros(int(16000 * seconds), dtype=np.float32)  # noqa: E731
    window = pack(
        [Clip(silence(3), "Hello Zorblax.", 1, 1), Clip(silence(2), "Second one.", 2, 2)],
        30,
        random.Random(1),
    )
    assert len(window) == 1
    texts = {False: "", True: ""}
    for timestamps in texts:
        inputs = WhisperInputs(base_hf, "en", timestamps=timestamps)
        texts[timestamps] = inputs.tokenizer.decode(inputs.labels(window[0]), decode_with_timestamps=True)
    (s1, e1, t1), (s2, e2, t2) = window[0].spans  # shuffled, 0.5 s apart
    assert s1 == 0.0 and s2 == e1 + 0.5 and e2 == 5.5
    assert texts[False] == f"<|notimestamps|> {t1} {t2}<|endoftext|>"
    assert texts[True] == f"<|0.00|> {t1}<|{e1:.2f}|><|{s2:.2f}|> {t2}<|5.50|><|endoftext|>"

    first = replay_clips(tmp_path, 2)
    assert [c.text for c in first] == REPLAY_SENTENCES[:2] and all(c.seconds > 2 for c in first)
    made = sorted((tmp_path / "cache" / "replay").glob("*.wav"))
    assert len(made) == 2 and [c.text for c in replay_clips(tmp_path, 2)] == REPLAY_SENTENCES[:2]


def test_a_glossary_prompt_is_trained_as_faster_whisper_serves_it_and_never_as_text(tmp_path):
    """A prompted window's decoder inputs begin exactly as faster-whisper's do when it serves that glossary as
    the initial prompt; the prompt's tokens are never labels, so the model learns to read a glossary, not to
    write one. About the configured share of windows is prompted, each with every term in a new order."""
    import random
    from dataclasses import replace

    import numpy as np
    from faster_whisper import WhisperModel
    from faster_whisper.tokenizer import Tokenizer

    from bot.core.config import config_from_dict
    from bot.core.transcription.serving import glossary_prompt
    from trainer.dataset import Clip, WhisperInputs, prompted
    from trainer.pipeline import base_weights

    base_hf, base_ct2 = base_weights(config_from_dict({"storage": {"data_dir": str(tmp_path)}}))
    terms = ["Zorblax", "Quindle", "Vennicor"]
    plain = Clip(np.zeros(16000, dtype=np.float32), "Hello Zorblax.", 1, 1)
    glossary = glossary_prompt(terms)
    assert glossary is not None
    inputs = WhisperInputs(base_hf, "en")
    given, labels = inputs.example(replace(plain, prompt=glossary))

    served = WhisperModel(str(base_ct2), device="cpu", compute_type="int8")
    tokenizer = Tokenizer(served.hf_tokenizer, served.model.is_multilingual, task="transcribe", language="en")
    previous = tokenizer.encode(" " + glossary.strip())
    layout = served.get_prompt(tokenizer, previous, without_timestamps=True)
    assert given[: len(layout)] == layout
    masked = len(layout) - 2  # <|startofprev|> and the glossary's tokens predict nothing
    assert labels[:masked] == [-100] * masked and labels[masked:] == inputs.labels(plain)
    assert "Glossary" not in inputs.tokenizer.decode([t for t in labels if t >= 0])
    assert inputs.example(plain) == ([inputs.decoder_start, *inputs.labels(plain)[:-1]], inputs.labels(plain))

    windows = prompted([plain] * 200, terms, 0.5, random.Random(0))
    prompts = [w.prompt for w in windows if w.prompt]
    assert 70 < len(prompts) < 130 and len(set(prompts)) == 6  # every order of three terms
    assert all(sorted(p[len("Glossary: ") : -1].split(", ")) == sorted(terms) for p in prompts)
    assert not any(w.prompt for w in prompted([plain] * 20, terms, 0.0, random.Random(0)))
    assert not any(w.prompt for w in prompted([plain] * 20, [" "], 0.5, random.Random(0)))


def test_scores_use_whispers_normaliser_and_count_terms():
    refs = ["Ask Mervathon about the Glimraid.", "The Zorblax logs."]
    hyps = ["ask mervathon about the glim raid", "the zorblax logs"]
    assert keyword_hits(refs, hyps, ["Mervathon", "Glimraid", "Zorblax"]) == (2, 3)  # "glim raid" is a miss
    assert keyword_hits(["Use Grafana Cloud."], ["use grafanacloud"], ["Grafana Cloud"]) == (1, 1)
    scores = score(refs, hyps, ["Mervathon"])
    assert 0 < scores.wer < 0.3 and scores.keyword_hit_rate == 1.0


@pytest.mark.parametrize("recordings", [2, 3, 7, 24])
@pytest.mark.parametrize("k", [2, 3, 4])
def test_every_fold_holds_out_dev_and_test_recordings(recordings, k):
    """Dev stops each fold's training and test decides, so a fold that held out only one role would train
    with nothing to stop it, or judge nothing (with 2 folds every fold did, before)."""
    from trainer.dataset import assign_recordings

    media = list(range(500, 500 + recordings))
    fold_of, role_of = assign_recordings(media, k, seed=3)
    assert fold_of == assign_recordings(media, k, seed=3)[0]  # stable: the same split every retrain
    roles = [role_of[m] for m in media]
    assert abs(roles.count("dev") - roles.count("test")) <= 1 + recordings // (2 * k)
    assert {"dev", "test"} <= set(roles)
    for fold in set(fold_of.values()):
        held_out = [role_of[m] for m in media if fold_of[m] == fold]
        if len(held_out) >= 2:
            assert set(held_out) == {"dev", "test"}, (fold, held_out)


def test_team_messages_are_json_and_audio_never_pickle():
    """L8: a fit's arguments cross the process group as JSON and float32 audio (trainer/team.py), so a peer
    that reaches the rendezvous port can send bad data but never code; what is not a message is refused."""
    import pickle

    import numpy as np

    from bot.core.config import config_from_dict
    from trainer import team
    from trainer.dataset import Clip

    config = config_from_dict({"training": {"epochs": 3, "target_modules": ["q_proj"]}}).training
    rng = np.random.default_rng(0)
    train = [
        Clip(
            rng.standard_normal(1600).astype(np.float32),
            "Zorblax ready",
            1,
            7,
            ((0.0, 0.1, "Zorblax ready"),),
        ),
        Clip(rng.standard_normal(800).astype(np.float32), "two", 2),
    ]
    dev = [Clip(rng.standard_normal(400).astype(np.float32), "dev", 3, 9)]
    message = [team.FIT, (Path("/m/base"), train, dev, config, 3, "en", ("Zorblax", "Quindle"))]
    kind, (base, got_train, got_dev, got_config, epochs, language, glossary) = team.decode(
        team.encode(message)
    )
    assert (kind, base, got_config, epochs, language) == (team.FIT, Path("/m/base"), config, 3, "en")
    assert glossary == ("Zorblax", "Quindle")
    for want, got in zip([*train, *dev], [*got_train, *got_dev], strict=True):
        assert np.array_equal(want.audio, got.audio) and got.audio.dtype == np.float32
        assert (got.text, got.media_id, got.pair_id, got.spans) == (
            want.text,
            want.media_id,
            want.pair_id,
            want.spans,
        )
    assert team.decode(team.encode([team.STOP, None])) == [team.STOP, None]

    class Boom:
        def __reduce__(self):
            return (print, ("pickle ran",))

    data = team.encode(message)
    for bad in (pickle.dumps([team.FIT, Boom()]), data[:-4], data + b"\0\0\0\0", b"\0" * 3,
                len(b'{"kind": "exec"}').to_bytes(8, "big") + b'{"kind": "exec"}'):  # fmt: skip
        with pytest.raises(ValueError):
            team.decode(bad)
    source = (ROOT / "trainer" / "team.py").read_text()
    assert "broadcast_object_list(" not in source and "import pickle" not in source
    missing = len(b'{"kind": "fit"}').to_bytes(8, "big") + b'{"kind": "fit"}'
    with pytest.raises(ValueError, match="malformed"):
        team.decode(missing)
