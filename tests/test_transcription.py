"""The engine: real faster-whisper with the bundled tiny.en, its hotword policy and its model cache."""

from __future__ import annotations

import itertools
import shutil

import pytest

from bot.audio import load_audio
from bot.config import config_from_dict
from bot.errors import MediaError
from bot.transcription import Engine, ModelChoice, use_hotwords
from tests.speech import wer_plain_words

SENTENCE = "The weather is lovely today, so we will walk to the market by the river."


@pytest.fixture(scope="module")
def engine():
    engine = Engine(config_from_dict({}).model, max_models=1)
    yield engine
    engine.close()


def test_words_come_with_times_in_order(engine, make_speech):
    audio = load_audio(make_speech(SENTENCE))
    transcript = engine.transcribe(audio, engine.base_choice())
    heard = " ".join(s.text for s in transcript.segments)
    assert wer_plain_words(SENTENCE, heard) < 0.3, heard
    words = transcript.words
    assert len(words) >= 8
    assert all(a.start <= b.start for a, b in itertools.pairwise(words))
    assert all(0 <= w.start <= w.end <= transcript.duration + 0.5 for w in words)
    assert transcript.model_version == "base" and transcript.pipeline == "sequential"


def test_hotwords_only_for_short_media_by_default():
    config = config_from_dict({}).model
    assert use_hotwords(config, 10.0, ["Zorblax"])
    assert not use_hotwords(config, 600.0, ["Zorblax"])  # hints drop stretches of long media (measured)
    assert not use_hotwords(config, 10.0, [])
    assert use_hotwords(config_from_dict({"model": {"hotwords": "always"}}).model, 600.0, ["Zorblax"])
    assert not use_hotwords(config_from_dict({"model": {"hotwords": "never"}}).model, 10.0, ["Zorblax"])


def test_a_model_that_refuses_hotwords_gets_none(engine, make_speech):
    audio = load_audio(make_speech("The Zorblax server restarts tonight."))
    base = engine.base_choice()
    assert engine.transcribe(audio, base, hotwords=["Zorblax"]).used_hotwords
    plain = ModelChoice(base.path, base.version, hotwords=False)
    assert not engine.transcribe(audio, plain, hotwords=["Zorblax"]).used_hotwords


def test_the_least_recently_used_model_is_unloaded(engine, make_speech, tmp_path):
    base = engine.base_choice()
    copy = tmp_path / "guild-v1"
    shutil.copytree(base.path, copy)
    audio = load_audio(make_speech(SENTENCE))
    engine.transcribe(audio, base)
    second = engine.transcribe(audio, ModelChoice(str(copy), "v1"))
    assert engine.loaded == [str(copy)]  # max_models=1: the base went
    assert (
        second.model_version == "v1"
        and wer_plain_words(SENTENCE, " ".join(s.text for s in second.segments)) < 0.3
    )
    engine.transcribe(audio, base)
    assert engine.loaded == [base.path]


def test_a_broken_model_folder_is_a_clear_error(engine, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model.bin").write_bytes(b"not a model")
    with pytest.raises(MediaError, match="could not be loaded"):
        engine.model(str(broken))
