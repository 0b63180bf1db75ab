"""Minimal pairs: each term's everyday sound-alike, swapped into the training set's own sentences (issue 20)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.core.config import ModelConfig
from bot.core.transcription.engine import base_model_path
from trainer.dataset import Clip
from trainer.decision import everyday_insertions, holds_everyday
from trainer.soundalikes import Extras, everyday_probes, everyday_vocabulary, minimal_pairs, sound_alikes


@pytest.fixture(scope="module")
def vocabulary() -> tuple[str, ...]:
    words = everyday_vocabulary(base_model_path(ModelConfig()))
    assert len(words) > 10_000  # Whisper's whole-word tokens
    return words


def test_a_term_gets_the_everyday_word_that_sounds_like_it_and_only_then(vocabulary: tuple[str, ...]) -> None:
    found = {
        a.term: a.word for a in sound_alikes(["Quindle", "Zorblax", "Leicester", "Hugging Face"], vocabulary)
    }
    # "kindle" sounds like Quindle; nothing everyday sounds like Zorblax; "Lester" is Leicester's homophone,
    # which a minimal pair would teach both ways; two words are not one everyday word.
    assert found == {"Quindle": "kindle"}


def test_a_minimal_pair_swaps_the_term_in_the_first_sentence_that_says_it(
    vocabulary: tuple[str, ...],
) -> None:
    alikes = sound_alikes(["Quindle", "Glimraid"], vocabulary)
    texts = ["The Quindle migration finished.", "quindle nodes are down", "Glimraid starts at nine."]
    pairs = minimal_pairs(texts, alikes)
    assert pairs[0] == "The kindle migration finished."
    assert len(pairs) == 2 and pairs[1].endswith(" starts at nine.") and "Glimraid" not in pairs[1]
    assert pairs[1][0].isupper()  # the sentence still starts with a capital
    assert minimal_pairs(["Nobody says a term here."], alikes) == []


def test_every_training_set_gets_pairs_from_its_own_sentences_only(
    vocabulary: tuple[str, ...], tmp_path: Path
) -> None:
    """A fold's model must not hear a held-out sentence's words, so its pairs come from its training set."""
    extras = Extras(
        alikes=tuple(sound_alikes(["Quindle", "Glimraid"], vocabulary)), folder=tmp_path / "pairs"
    )
    silence = np.zeros(16000, dtype=np.float32)
    train = [Clip(silence, "The Quindle migration finished.", media_id=1, pair_id=1)]
    trained = extras.around(train)
    assert [c.text for c in trained] == ["The Quindle migration finished.", "The kindle migration finished."]
    spoken = trained[1]
    assert spoken.seconds > 1.0 and float(np.abs(spoken.audio).max()) > 0.05  # espeak-ng said it
    files = sorted(p.name for p in (tmp_path / "pairs").iterdir())
    assert extras.around(train)[1].text == spoken.text  # the next training set reuses the spoken clip
    assert sorted(p.name for p in (tmp_path / "pairs").iterdir()) == files
    assert Extras().around(train) == train  # switched off: the pairs alone


def test_probes_say_each_sound_alike_in_an_everyday_frame_for_every_fold(
    vocabulary: tuple[str, ...], tmp_path: Path
) -> None:
    """Every fold's model hears every probe; a probe holds the everyday word and no term."""
    probes = everyday_probes(sound_alikes(["Quindle", "Glimraid", "Zorblax"], vocabulary), 2, tmp_path / "p")
    sentences = [c.text for c in probes.clips]
    assert len(sentences) == 2 and "kindle" in sentences[0] and "Quindle" not in " ".join(sentences)
    assert probes.texts == sentences * 2 and list(probes.of_fold(1)) == [2, 3]
    assert all(c.seconds > 1.0 for c in probes.clips)


def test_a_model_that_writes_its_terms_into_everyday_sound_alikes_is_held_to_the_base() -> None:
    """The check refuses a model that hears "Pellicor" in "A pelican stole a fish" where the base with the
    same glossary did not, and passes one that writes no more terms than the base there."""
    terms = ["Pellicor", "Morgrave"]
    references = ["A pelican stole a fish from the boat.", "The news grew more grave by the hour."]
    texts = {
        "base|glossary": ["A pelican stole a fish from the boat.", "The news drew Morgrave by the hour."],
        "new@1.0|glossary": ["A Pellicor stole a fish from the boat.", "The news drew Morgrave by the hour."],
        "new@0.5|glossary": [
            "A pelican stole a fish from the boat.",
            "The news grew more grave by the hour.",
        ],
    }
    counts = {label: everyday_insertions(references, said, terms) for label, said in texts.items()}
    assert holds_everyday("new@1.0|glossary", counts) == (False, 2, 1)
    assert holds_everyday("new@0.5|glossary", counts) == (True, 0, 1)
