"""A correction's words put back on the caption's cues, and training chunks made of those cues."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.captions.alignment import Chunk, align_correction, chunk_cues, normalize_words
from bot.core.captions.cues import Cue, Word, build_cues


def caption(*texts: str, seconds: float = 2.0) -> list[Cue]:
    """Cues as a file would give them (no word times), one every `seconds`."""
    return [Cue(i * seconds, (i + 1) * seconds, text) for i, text in enumerate(texts)]


def texts(cues: list[Cue]) -> list[str]:
    return [c.text for c in cues]


# --- normalize_words -------------------------------------------------------------------------------------


def test_normalize_words() -> None:
    assert normalize_words("Fine-tune, don't  NVIDIA's GPU/CPU... “Whisper”!") == [
        "fine",
        "tune",
        "dont",
        "nvidias",
        "gpu",
        "cpu",
        "whisper",
    ]
    assert normalize_words("") == normalize_words(" -- ... ") == []
    assert normalize_words("Ünïcödé 😀 東京") == ["ünïcödé", "😀", "東京"]


# --- align_correction: what a user would see -------------------------------------------------------------


def test_a_misheard_word_is_replaced_in_its_own_cue() -> None:
    cues = caption("I use lower", "to fine tune whisper")
    corrected = align_correction(cues, "I use LoRA to fine-tune Whisper.")
    assert texts(corrected) == ["I use LoRA", "to fine-tune Whisper."]
    assert [(c.start, c.end) for c in corrected] == [(0.0, 2.0), (2.0, 4.0)]


def test_word_timestamps_are_used_when_the_cue_has_them() -> None:
    words = [Word(0.0, 0.4, "I"), Word(0.4, 0.8, "use"), Word(0.8, 1.2, "lower")]
    cues = [Cue(0.0, 1.2, "I use", words[:2]), Cue(1.2, 2.0, "lower", words[2:])]
    assert texts(align_correction(cues, "I use LoRA")) == ["I use", "LoRA"]


def test_two_words_heard_for_one_go_to_the_cue_where_it_starts() -> None:
    cues = caption("we bought in", "video cards for training")
    assert texts(align_correction(cues, "We bought Nvidia cards for training.")) == [
        "We bought Nvidia",
        "cards for training.",
    ]


def test_one_word_heard_for_two_keeps_both_in_its_cue() -> None:
    cues = caption("the nvidia", "makes fast chips")
    assert texts(align_correction(cues, "The in video makes fast chips")) == [
        "The in video",
        "makes fast chips",
    ]


def test_case_punctuation_and_line_breaks_do_not_disturb_alignment() -> None:
    cues = caption("hello everyone", "welcome back", "to the show")
    corrected = align_correction(cues, "Hello,\neveryone!  Welcome\r\nback to the SHOW.")
    assert texts(corrected) == ["Hello, everyone!", "Welcome back", "to the SHOW."]


def test_inserted_words_join_the_previous_word_and_leading_ones_the_first_cue() -> None:
    cues = caption("so we trained", "the model")
    assert texts(align_correction(cues, "Okay so we trained the new model")) == [
        "Okay so we trained",
        "the new model",
    ]
    assert texts(align_correction(cues, "so we trained yesterday the model")) == [
        "so we trained yesterday",
        "the model",
    ]


def test_a_cue_whose_words_were_all_deleted_is_kept_empty() -> None:
    cues = caption("Thanks for watching.", "Thank you.", "Bye.")
    corrected = align_correction(cues, "Thanks for watching. Bye.")
    assert texts(corrected) == ["Thanks for watching.", "", "Bye."]
    assert len(corrected) == len(cues)


def test_long_additions_are_rewrapped() -> None:
    cues = caption("short", "end")
    corrected = align_correction(
        cues, "short and then a much longer stretch of words the caption had missed end"
    )
    assert corrected[0].text == "short and then a much longer stretch\nof words the caption had missed"
    assert corrected[1].text == "end"


def test_empty_inputs() -> None:
    assert align_correction([], "anything at all") == []
    assert texts(align_correction(caption("a", "b"), " \n\t ")) == ["", ""]


def test_cues_without_text_still_receive_every_word() -> None:
    corrected = align_correction(caption("", ""), "one two three four")
    assert texts(corrected) == ["one two", "three four"]


def test_unicode_emoji_and_huge_inputs_do_not_crash() -> None:
    cues = caption("東京 に 行きます", "😀 ok")
    assert " ".join(texts(align_correction(cues, "東京に 行きます 😀😀 OK!"))).split() == [
        "東京に",
        "行きます",
        "😀😀",
        "OK!",
    ]
    for text in ["x" * 100_000, "a " * 50_000, "🎉" * 30_000]:
        assert " ".join(texts(align_correction(cues, text))).split() == text.split()


def test_three_thousand_cues_and_thirty_thousand_words_are_quick() -> None:
    rng = random.Random(7)
    vocabulary = ["the", "a", "to", "and", "model", "whisper", "server", "caption", "voice", "train"]
    vocabulary += [f"word{n}" for n in range(2000)]
    spoken = [rng.choice(vocabulary) for _ in range(30_000)]
    cues = build_cues([Word(i * 0.2, i * 0.2 + 0.15, w) for i, w in enumerate(spoken)], max_line_chars=20)
    assert len(cues) >= 3000
    corrected = list(spoken)
    for _ in range(3000):
        at = rng.randrange(len(corrected))
        corrected[at : at + 1] = rng.choice(
            [[], [corrected[at].upper() + ","], ["new", corrected[at]], ["typo"]]
        )
    began = time.perf_counter()
    result = align_correction(cues, " ".join(corrected))
    assert time.perf_counter() - began < 20  # about half a second on one core
    assert " ".join(texts(result)).split() == corrected


# --- align_correction: properties ------------------------------------------------------------------------

WORDS = [
    "I",
    "use",
    "lower",
    "LoRA",
    "to",
    "fine",
    "tune",
    "fine-tune",
    "whisper.",
    "in",
    "video",
    "Nvidia",
    "😀",
]
phrase = st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=8).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(phrase, max_size=8), phrase | st.text(max_size=200))
def test_every_corrected_token_lands_once_and_in_order(cue_texts: list[str], correction: str) -> None:
    cues = caption(*cue_texts)
    corrected = align_correction(cues, correction)
    assert len(corrected) == len(cues)
    assert [(c.start, c.end) for c in corrected] == [(c.start, c.end) for c in cues]
    if cues:
        assert " ".join(texts(corrected)).split() == correction.split()


@settings(max_examples=100, deadline=None)
@given(st.lists(phrase, min_size=1, max_size=8))
def test_an_unchanged_caption_keeps_its_cue_texts(cue_texts: list[str]) -> None:
    cues = caption(*cue_texts)
    corrected = align_correction(cues, " ".join(cue_texts))
    assert [c.text.split() for c in corrected] == [t.split() for t in cue_texts]


# --- chunk_cues ------------------------------------------------------------------------------------------


def test_chunks_group_consecutive_cues_up_to_thirty_seconds() -> None:
    cues = [Cue(0, 10, "one"), Cue(10, 20, "two\nlines"), Cue(20, 29, "three"), Cue(29, 35, "four")]
    assert chunk_cues(cues) == [
        Chunk(0, 29, "one two lines three", (0, 1, 2)),
        Chunk(29, 35, "four", (3,)),
    ]


def test_empty_and_overlong_cues_are_left_out_and_break_chunks() -> None:
    cues = [
        Cue(0, 2, "a"),
        Cue(2, 4, ""),
        Cue(4, 6, "b"),
        Cue(6, 40, "too long to train on"),
        Cue(40, 41, "c"),
    ]
    assert chunk_cues(cues) == [
        Chunk(0, 2, "a", (0,)),
        Chunk(4, 6, "b", (2,)),
        Chunk(40, 41, "c", (4,)),
    ]
    assert chunk_cues([]) == []


def test_max_seconds_is_respected() -> None:
    cues = caption("a", "b", "c", "d", seconds=4.0)
    assert [c.cue_indices for c in chunk_cues(cues, max_seconds=8.0)] == [(0, 1), (2, 3)]


@st.composite
def timed_cues(draw: st.DrawFn) -> list[Cue]:
    cues, at = [], 0.0
    for _ in range(draw(st.integers(0, 40))):
        at += draw(st.floats(0, 5))
        length = draw(st.floats(0, 40))
        cues.append(Cue(at, at + length, draw(st.sampled_from(["", "hi", "two\nlines", " "]))))
        at += length
    return cues


@settings(max_examples=200, deadline=None)
@given(timed_cues())
def test_chunks_never_exceed_thirty_seconds_or_split_a_cue(cues: list[Cue]) -> None:
    chunks = chunk_cues(cues)
    used = [i for chunk in chunks for i in chunk.cue_indices]
    assert used == sorted(set(used))
    for chunk in chunks:
        first, last = chunk.cue_indices[0], chunk.cue_indices[-1]
        assert chunk.cue_indices == tuple(range(first, last + 1))
        assert (chunk.start, chunk.end) == (cues[first].start, cues[last].end)
        assert chunk.end - chunk.start <= 30.0
        assert chunk.text == " ".join(" ".join(cues[i].text.split()) for i in chunk.cue_indices)
        assert all(cues[i].text.strip() for i in chunk.cue_indices)
    trainable = [i for i, c in enumerate(cues) if c.text.strip() and c.end - c.start <= 30.0]
    assert sorted(used) == trainable


@pytest.mark.parametrize("max_seconds", [0.5, 30.0])
def test_chunks_from_built_cues_cover_all_text(max_seconds: float) -> None:
    words = [Word(i * 0.4, i * 0.4 + 0.3, f"w{i}.") for i in range(300)]
    cues = build_cues(words)
    chunks = chunk_cues(cues, max_seconds)
    covered = " ".join(chunk.text for chunk in chunks).split()
    assert covered == [w.text for c in cues for w in c.words if c.end - c.start <= max_seconds]
