"""Instant spellings through the real service: real faster-whisper on espeak-ng speech, a real SQLite file."""

from __future__ import annotations

from bot.config import load_config
from bot.cues import Word
from bot.service import CaptionService
from bot.spelling import respell
from bot.store import SpellingRule

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


async def test_a_term_is_right_after_two_corrections_without_a_retrain(config_file, make_speech) -> None:
    """Hotwords off, so only the rule can spell the term; it is approved after the corrections proposed it."""
    config_file.write_text(config_file.read_text() + '\n[model]\nhotwords = "never"\n')
    service = await CaptionService.open(load_config(config_file))
    try:
        for text in (FIRST, SECOND):
            heard = await service.caption(GUILD, make_speech(text))
            assert "Zorblax" not in heard.text, heard.text  # tiny.en cannot spell it
            await service.correct(GUILD, heard.caption_id, user_id=2, text=text)
        assert await service.store.spelling_rules(GUILD, min_captions=2) == []  # not approved yet
        await service.moderation.review_term(GUILD, "Zorblax", approve=True)
        rules = await service.store.spelling_rules(GUILD, min_captions=2)
        print("rules:", rules)
        assert rules and all(r.term == "Zorblax" for r in rules)
        after = await service.caption(GUILD, make_speech(THIRD))
        assert "Zorblax" in after.text, after.text
        elsewhere = await service.caption(OTHER, make_speech(THIRD))
        assert "Zorblax" not in elsewhere.text  # rules are per server
        corrected = await service.correct(GUILD, after.caption_id, user_id=3, text="the more black stays")
        stored = service.store
        assert corrected.pairs >= 1
        text = (await stored.get_caption(GUILD, after.caption_id)).text
        assert "Zorblax" in text
    finally:
        await service.close()
