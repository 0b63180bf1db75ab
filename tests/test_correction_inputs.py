"""Bad corrections (issue 20): each gets a clear outcome, and nothing wrong reaches the training pairs.

Through the real service: real faster-whisper on espeak-ng speech, a real SQLite file. What a member sees is
the correction's notes (the bot's reply); what a retrain sees is `store.training_pairs`, the query the trainer
loads its data with.
"""

from __future__ import annotations

import pytest

from bot.core.config import load_config
from bot.service import CaptionService
from bot.service.corrections import REPLACES, shared_words

GUILD = 31
SAID = "Please restart the build server before the meeting tonight."


@pytest.fixture
async def service(config_file):
    service = await CaptionService.open(load_config(config_file))
    yield service
    await service.close()


async def _pair_texts(service: CaptionService) -> list[str]:
    return [p.text for p in await service.store.training_pairs(GUILD)]


async def test_two_members_correcting_one_caption_differently_train_only_the_newest(service, make_speech):
    heard = await service.caption(GUILD, make_speech(SAID))
    first = await service.correct(GUILD, heard.caption_id, user_id=1, text=SAID)
    assert first.pairs >= 1 and REPLACES not in first.notes
    other = "Please restart the build server after the meeting tonight."
    second = await service.correct(GUILD, heard.caption_id, user_id=2, text=other)
    assert REPLACES in second.notes  # the second member is told, in the reply
    texts = " ".join(await _pair_texts(service))
    assert "after the meeting" in texts and "before the meeting" not in texts
    assert second.total_pairs == second.pairs  # the first member's pairs no longer count
    again = await service.correct(GUILD, heard.caption_id, user_id=2, text=SAID)
    assert REPLACES not in again.notes  # a member revising their own correction is not told
    assert "before the meeting" in " ".join(await _pair_texts(service))


async def test_a_correction_that_only_deletes_words_trains_on_what_is_left(service, make_speech):
    heard = await service.caption(GUILD, make_speech(SAID))
    shorter = "Please restart the build server."  # the member says the rest was not said
    result = await service.correct(GUILD, heard.caption_id, user_id=1, text=shorter)
    assert result.pairs >= 1 and not result.notes
    texts = " ".join(await _pair_texts(service)).lower()
    assert "restart the build server" in texts and "meeting" not in texts and "tonight" not in texts


async def test_a_correction_in_another_language_fixes_the_caption_and_trains_nothing(service, make_speech):
    heard = await service.caption(GUILD, make_speech(SAID))
    german = "Bitte starte den Server vor dem Treffen heute Abend neu."
    result = await service.correct(GUILD, heard.caption_id, user_id=1, text=german)
    assert result.pairs == 0 and result.total_pairs == 0
    assert any("shares almost no words with what was heard" in note for note in result.notes)
    (kept,) = await service.store.corrections(GUILD, caption_id=heard.caption_id)
    assert "Treffen" in kept.text and kept.pairs == 0  # the correction is kept (nothing lost), untrained
    # Control: the same clip corrected in its own language trains, and replaces the unrelated text.
    fixed = await service.correct(GUILD, heard.caption_id, user_id=1, text=SAID)
    assert fixed.pairs >= 1 and "meeting" in " ".join(await _pair_texts(service))


async def test_the_right_text_of_a_badly_misheard_clip_trains_and_another_clips_text_does_not(
    service, make_speech
):
    """A correction sharing almost no words with its caption is the right text when the audio says so: the
    base misheard the clip, and that correction teaches the most (bot/service/corrections.py, MIN_TEXT_FIT)."""
    said = "A Korvane hull costs forty thousand credits."
    # How badly the base mishears a voice moves with the CPU and its threads ("I call the in-hole costs..."
    # shares 2 of 7 words), so the first of a few voices it mishears badly is the clip to correct.
    captions = []
    for voice in ("en-029", "en-us+m3", "en-gb-x-rp+f2", "en-gb-scotland"):
        heard = await service.caption(GUILD, make_speech(said, voice=voice))
        captions.append(heard.text)
        if shared_words(heard.text, said) < 0.2:
            break
    else:
        pytest.fail(f"the base heard every voice of this clip well: {captions}")
    other = await service.correct(
        GUILD, heard.caption_id, user_id=1, text="The weather was lovely so we walked to the market."
    )
    assert other.pairs == 0 and any("shares almost no words" in note for note in other.notes)
    right = await service.correct(GUILD, heard.caption_id, user_id=1, text=said)
    assert right.pairs >= 1 and not right.notes
    assert "Korvane" in " ".join(await _pair_texts(service))


def test_how_much_of_a_correction_was_heard() -> None:
    heard = "Please restart the bill server before the meeting tonight."
    assert shared_words(heard, SAID) == pytest.approx(8 / 9)
    assert shared_words(heard, "Bitte starte den Server vor dem Treffen heute Abend neu.") < 0.2
    assert shared_words(heard, "Server neu!") == 1.0  # too short to judge: a short caption may be all wrong
    assert shared_words("Thank you.", "Zorblax and Quindle restart the nodes") < 0.2  # another clip's text


async def test_a_term_nobody_says_is_never_written_into_everyday_speech(service, make_speech):
    await service.moderation.suggest_vocabulary(GUILD, ["Quorvash"], user_id=1)
    await service.moderation.review_term(GUILD, "Quorvash", approve=True)  # approved, never said
    assert "Quorvash" in await service.store.vocabulary(GUILD)
    for sentence in (SAID, "The quarter finals start on Saturday.", "We watched the car wash all afternoon."):
        caption = await service.caption(GUILD, make_speech(sentence))
        assert "quorvash" not in caption.text.lower(), caption.text
