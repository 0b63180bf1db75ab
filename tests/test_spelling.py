"""Instant spellings through the real service: real faster-whisper on espeak-ng speech, a real SQLite file."""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path

import pytest

from bench.scenario import TERMS, TRAINING_SENTENCES
from bot.core.captions.cues import Word
from bot.core.captions.spelling import everyday_words, learned_replacements, respell
from bot.core.config import load_config
from bot.core.store import SpellingRule
from bot.service import CaptionService

GUILD, OTHER = 11, 12
FIRST = "Can someone restart the Zorblax service for me?"
SECOND = "Please restart the Zorblax service tonight."
THIRD = "We should restart the Zorblax service again."


def test_rules_replace_whole_words_only() -> None:
    rule = [SpellingRule("more black", "Zorblax", 2)]
    words = [Word(0, 1, " more"), Word(1, 2, " blackboard"), Word(2, 3, " more"), Word(3, 4, " black,")]
    (segment,), count = respell([(0.0, 4.0, "", words)], rule)
    assert count == 1 and segment[2] == " more blackboard Zorblax,"
    (plain,), none = respell([(0.0, 1.0, "Kenmore black and smoreblack", [])], rule)
    assert none == 0 and plain[2] == "Kenmore black and smoreblack"


def test_a_single_everyday_word_never_becomes_a_rule() -> None:
    """tiny.en hears Quindle as "window": rewriting "window" in every caption would damage ordinary speech."""
    from bot.core.config import config_from_dict
    from bot.core.transcription.engine import base_model_path

    everyday = everyday_words(base_model_path(config_from_dict({}).model))
    terms = {"quindle", "zorblax"}
    heard = ["Restart", "the", "window", "nodes", "and", "the", "more", "black", "service"]
    fixed = ["Restart", "the", "Quindle", "nodes", "and", "the", "Zorblax", "service"]
    assert learned_replacements(heard, fixed, terms) == [("window", "Quindle"), ("more black", "Zorblax")]
    assert learned_replacements(heard, fixed, terms, everyday) == [("more black", "Zorblax")]
    assert not everyday("quindle") and everyday("window")


async def test_a_term_is_right_after_two_corrections_without_a_retrain(config_file, make_speech) -> None:
    """Hotwords off, so only the rule can spell the term; it is approved after the corrections proposed it."""
    config_file.write_text(config_file.read_text() + '\n[model]\nhint = "none"\n')
    service = await CaptionService.open(load_config(config_file))
    try:
        for user, text in ((2, FIRST), (4, SECOND)):  # two members: one alone cannot make a rule
            heard = await service.caption(GUILD, make_speech(text))
            assert "Zorblax" not in heard.text, heard.text  # tiny.en cannot spell it
            await service.correct(GUILD, heard.caption_id, user_id=user, text=text)
        assert await service.store.spelling_rules(GUILD, min_captions=2) == []  # not approved yet
        await service.moderation.review_term(GUILD, "Zorblax", approve=True)
        rules = await service.store.spelling_rules(GUILD, min_captions=2)
        print("rules:", rules)
        assert rules and all(r.term == "Zorblax" for r in rules)
        after = await service.caption(GUILD, make_speech(THIRD))
        assert "Zorblax" in after.text, after.text
        elsewhere = await service.caption(OTHER, make_speech(THIRD))
        assert "Zorblax" not in elsewhere.text  # rules are per server
        typed = "We should restart the more black service again."
        corrected = await service.correct(GUILD, after.caption_id, user_id=3, text=typed)
        (stored,) = await service.store.corrections(GUILD, caption_id=after.caption_id)
        assert (
            stored.id == corrected.correction_id and stored.text == typed
        )  # a user's words are never respelled
        assert "Zorblax" in (await service.store.get_caption(GUILD, after.caption_id)).text
    finally:
        await service.close()


ROOT = Path(__file__).resolve().parents[1]


def real_speech_dir() -> Path | None:
    """../shared/data/real-speech next to the checkout (REAL_SPEECH_DIR overrides it, e.g. for a worktree)."""
    named = os.environ.get("REAL_SPEECH_DIR")
    candidates = [Path(named)] if named else []
    candidates += [ROOT.parent / "shared/data/real-speech", ROOT / "shared/data/real-speech"]
    return next((c for c in candidates if (c / "refs.tsv").is_file()), None)


@pytest.mark.slow  # 82 s on 2 busy cores: 19 espeak captions and 380 s of real speech
async def test_rules_learned_from_the_scenario_change_nothing_in_real_speech(
    config_file, make_speech
) -> None:
    """The worst case for real speech: the rules tiny.en's mishearings of the scenario's four terms teach
    (no vocabulary hint, so every term is misheard and corrected; the 16 training sentences and this file's two),
    then 12 real recordings (LibriSpeech, AMI, ...)
    captioned through the service as the bot does: no rule may fire on them."""
    folder = real_speech_dir()
    if folder is None:
        pytest.skip("no ../shared/data/real-speech (set REAL_SPEECH_DIR)")
    config_file.write_text(config_file.read_text() + '\n[model]\nhint = "none"\n')
    service = await CaptionService.open(load_config(config_file))
    started = time.monotonic()
    try:
        await service.add_vocabulary(GUILD, TERMS, user_id=3)  # approved, as a moderator would
        for i, text in enumerate([*TRAINING_SENTENCES, FIRST, SECOND]):
            heard = await service.caption(GUILD, make_speech(text))
            await service.correct(GUILD, heard.caption_id, user_id=2 + i % 2, text=text)  # two members
        rules = await service.moderation.spelling_rules(GUILD)
        print("rules:", [(r.heard, r.term, r.captions) for r in rules])
        assert {r.term for r in rules} >= {"Zorblax"}, rules
        live = await service.caption(GUILD, make_speech(THIRD))
        assert live.respelled >= 1 and "Zorblax" in live.text  # the rules fire where they should
        with (folder / "refs.tsv").open(encoding="utf-8") as refs:
            files = [row["file"] for row in csv.DictReader(refs, delimiter="\t")]
        results = [await service.caption(GUILD, folder / name) for name in files]
        replaced = sum(r.respelled for r in results)
        print(f"{len(rules)} rules, {len(files)} real recordings, {replaced} replacements, "
              f"{time.monotonic() - started:.0f} s")  # fmt: skip
        assert len(files) == 12 and all(r.text for r in results)
        assert replaced == 0, [r.text for r in results if r.respelled]
        assert not any(term in r.text for r in results for term in TERMS)
    finally:
        await service.close()
