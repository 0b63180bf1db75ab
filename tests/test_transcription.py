"""The engine: real faster-whisper with the bundled tiny.en, its vocabulary hints and its model cache."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from bot.core.config import config_from_dict
from bot.core.errors import MediaError
from bot.core.media.audio import load_audio
from bot.core.transcription.engine import Engine, ModelChoice, hint_options
from bot.core.transcription.serving import Route, ServingPlan, default_plan, glossary_prompt
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


def test_a_server_that_never_retrained_gets_the_glossary_on_short_clips_only():
    plan = default_plan(config_from_dict({}).model.hint)
    assert plan.route_for(10.0, 30.0) == Route("base", "glossary")
    assert plan.route_for(600.0, 30.0) == Route(
        "base", "none"
    )  # hints drop stretches of long media (measured)
    assert (
        hint_options("glossary", ["Zorblax", "Quindle"])[1]["initial_prompt"] == "Glossary: Zorblax, Quindle."
    )
    assert hint_options("glossary", [])[0] == "none"  # no terms, no hint
    assert hint_options("hotwords", ["Zorblax"])[1]["hotwords"] == "Zorblax"
    restored = ServingPlan.from_dict(ServingPlan(Route("v2", "glossary"), Route("base")).as_dict())
    assert restored.describe() == "voice notes: v2 with glossary; long media: base"


def test_a_long_glossary_keeps_its_first_terms_inside_what_whisper_reads_of_a_prompt(engine):
    """Whisper reads only the last 223 tokens of a prompt and drops the front, where the most wanted terms
    are; the prompt holds the first terms that fit inside that, none skipped."""
    terms = [f"Zor{chr(97 + i % 26)}blax{i}" for i in range(60)]
    prompt = glossary_prompt(terms)
    assert prompt is not None
    model = engine.model(engine.base_choice().path)
    assert len(model.hf_tokenizer.encode(" " + prompt).ids) <= 223
    said = [t for t in terms if f" {t}," in prompt or f" {t}." in prompt]
    assert said == terms[: len(said)] and 20 <= len(said) < 60
    assert glossary_prompt([" ", "Quindle", "Quindle"]) == "Glossary: Quindle."
    assert glossary_prompt([" "]) is None


def test_each_hint_is_applied_and_reported(engine, make_speech):
    """The glossary prompt spells the server's words that plain decoding cannot, and inserts none."""
    from bench.scenario import HELD_OUT_SENTENCES, TERMS
    from trainer.evaluate import score

    texts = HELD_OUT_SENTENCES[:4]
    clips = [load_audio(make_speech(t)) for t in texts]
    base = engine.base_choice()
    heard = {}
    for hint in ("none", "glossary", "hotwords"):
        runs = [engine.transcribe(a, ModelChoice(base.path, base.version, hint), terms=TERMS) for a in clips]
        assert {r.hint for r in runs} == {hint}
        heard[hint] = score(texts, [" ".join(s.text for s in r.segments) for r in runs], TERMS)
    assert heard["none"].keyword_hits == 0
    assert heard["glossary"].keyword_hits >= 2 and heard["glossary"].false_insertions == 0
    assert heard["glossary"].runaway_clips == 0
    assert (
        engine.transcribe(clips[0], ModelChoice(base.path, base.version, "glossary"), terms=[]).hint == "none"
    )


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


def test_a_tuned_model_serves_the_captions_that_use_its_learned_words_and_the_base_the_rest(
    engine, make_speech, tmp_path
):
    """A server's model coins spellings for words it does not know; so a caption in which it wrote none of
    the server's words (its learned words, the vocabulary) is the base's words (combine.py). The model here
    has the base's weights, so which path served shows only in `by_base`; the words must be the base's."""
    from bot.core.transcription.learned_words import write_learned_words

    base = engine.base_choice()
    model = tmp_path / "v1"
    model.mkdir()
    for file in Path(base.path).iterdir():
        (model / file.name).symlink_to(file)
    write_learned_words(model, ["zorblax", "market"])
    choice = ModelChoice(str(model), "v1")

    kept = engine.transcribe(load_audio(make_speech(SENTENCE)), choice)  # it says "market"
    assert "market" in " ".join(s.text for s in kept.segments).lower()
    assert not kept.by_base and kept.model_version == "v1"

    everyday = load_audio(make_speech("I left my umbrella at the office, so I got soaked."))
    served, plain = engine.transcribe(everyday, choice), engine.transcribe(everyday, base)
    assert served.by_base and served.model_version == "v1"
    assert [w.text for w in served.words] == [w.text for w in plain.words]


def test_learned_words_are_the_corrections_words_the_base_never_wrote():
    from bot.core.transcription.learned_words import learned_words, uses_learned_words

    corrected = ["Restart the Zorblax relay.", "Ask Mervathon about the window."]
    heard = ["restart the sorb lacks relay", "ask mirror thon about the widow"]
    everyday = {"window", "the", "ask"}.__contains__  # single-token words of Whisper's vocabulary
    words = learned_words(corrected, heard, everyday)
    assert words == ["mervathon", "zorblax"]  # "window" was misheard, but it is an everyday word
    assert uses_learned_words("Zorblax, again!", words) and not uses_learned_words("sorb lacks", words)


def test_a_retrains_engine_decodes_each_clip_with_the_plain_base_once(make_speech):
    """The trainer's engine hears the same clips again and again (the free options, then every fold's
    captions without a server word fall back to the plain base): it remembers the plain base's transcript of
    each clip and gives the same words; the bot's engine never keeps one."""
    from dataclasses import replace

    audio = load_audio(make_speech("I left my umbrella at the office, so I got soaked."))
    config = config_from_dict({}).model
    remembering, plain = Engine(config, remember_plain=True), Engine(config)
    decodes = {id(remembering): 0, id(plain): 0}
    for engine in (remembering, plain):
        original = engine._decode

        def counted(*args, engine=engine, original=original):
            decodes[id(engine)] += 1
            return original(*args)

        engine._decode = counted  # type: ignore[method-assign]
        base = engine.base_choice()
        glossary = replace(base, hint="glossary")
        first = engine.transcribe(audio, base)
        again = engine.transcribe(audio, glossary, terms=["Zorblax"])  # no term: the base's words again
        assert again.by_base and [w.text for w in again.words] == [w.text for w in first.words]
        engine.close()
    assert decodes[id(remembering)] == 2 and decodes[id(plain)] == 3  # glossary once, the plain base once
