"""Everyday sentences that sound like the server's terms: what a retrain checks a new model on.

Why: every correction a server makes holds one of its terms, so every held-out recording a retrain scores
holds one too, and the trainer never sees a model hear its names in everyday words. A game guild's model was
promoted on them and then served "A Pellicor stole a fish" for "A pelican stole a fish" and "drew Morgrave"
for "grew more grave" (BENCHMARKS.md 5h, skyforge). So a retrain makes probes: each term's everyday
sound-alike word in an everyday frame ("The next word on the page was travel." for Dravel), spoken by
espeak-ng.
Every fold's model and the base with the same hint transcribe them, and a new model serves only if it writes
no more terms into them than the base does (trainer/pipeline.py::_against_soundalikes). The frames favour
neither the term nor the word: a probe made from the term's own sentence ("The kindle migration finished")
keeps the context that says "Quindle", and the base with the glossary would be primed as much as the model.

Sound-alikes are found by pronunciation, not spelling: espeak-ng's phonemes of the term against those of
the words Whisper's tokenizer holds whole (its everyday vocabulary), after a cheap spelling pre-filter.
A term with no everyday word at least MIN_LIKENESS alike gets no probe: nothing everyday is confused with it.
Neither does a homophone (MAX_LIKENESS): "the train to Lester" is "the train to Leicester" to any ear; only
context tells them apart.

Tried and off by default (`soundalike_pairs`): the same minimal pairs as training data, so the model would
learn what tells the two apart. On the tabletop community (a tuning set) the model trained with them wrote
10 terms into its 12 sound-alike clips against 2 without them (unseen WER 0.374 against 0.402, same seed);
on kitchen the served model inserted 8 either way and scored 0.381 unseen against 0.321 before. More
windows full of the terms' contexts seem to make the model readier to write the terms, not warier.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.core.media.audio import load_audio
from trainer.dataset import Clip
from trainer.guard import speak_once

MIN_LIKENESS = 0.7  # phoneme likeness (difflib ratio) an everyday word needs to count as sounding like a term
MAX_LIKENESS = 0.95  # at or above it the two are homophones ("Leicester" / "Lester"): only context can tell
CANDIDATES = 60  # words kept by the spelling pre-filter for each term, before phonemes decide
VOICES = ("en-us", "en-gb-x-rp", "en-us+m3")  # training-side voices; the pairs rotate through them
_STRESS = re.compile(r"[',_%=]")


@dataclass(frozen=True)
class SoundAlike:
    """An everyday word that sounds like a term, and how alike their phonemes are (0..1)."""

    term: str
    word: str
    likeness: float


@lru_cache(maxsize=4)
def everyday_vocabulary(model_dir: str) -> tuple[str, ...]:
    """The lowercase words of 3+ letters that Whisper's tokenizer holds as one token after a space."""
    path = Path(model_dir) / "tokenizer.json"
    try:
        vocab = json.loads(path.read_text(encoding="utf-8"))["model"]["vocab"]
    except (OSError, ValueError, KeyError):
        return ()
    words = {token[1:].lower() for token in vocab if token.startswith("Ġ")}
    return tuple(sorted(w for w in words if re.fullmatch(r"[a-z]{3,}", w)))


def phonemes(words: Sequence[str]) -> list[str]:
    """espeak-ng's phonemes of each word (one line each), stress marks dropped."""
    if not words:
        return []
    out = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", "en-us"],
        input="\n".join(words),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = [_STRESS.sub("", line.strip()) for line in out.splitlines() if line.strip()]
    if len(lines) == len(words):
        return lines
    if len(words) == 1:
        return ["".join(lines)]
    return [phonemes([w])[0] for w in words]  # espeak-ng split or joined a line: one call per word


def sound_alikes(terms: Sequence[str], vocabulary: Sequence[str]) -> list[SoundAlike]:
    """For each one-word term, the everyday word whose phonemes are most like its own, if alike enough."""
    found = []
    for term in terms:
        key = term.strip().lower()
        if not re.fullmatch(r"[a-z]{3,}", key):
            continue  # several words, digits or signs: its sound-alikes are not one everyday word
        near = [w for w in _spelled_alike(key, vocabulary) if not _same_word(w, key)]
        if not near:
            continue
        heard, *others = phonemes([key, *near])
        scored = [(_likeness(heard, p), w) for p, w in zip(others, near, strict=True)]
        likeness, word = max(scored)
        if MIN_LIKENESS <= likeness < MAX_LIKENESS:
            found.append(SoundAlike(term.strip(), word, round(likeness, 3)))
    return found


def minimal_pairs(texts: Sequence[str], alikes: Sequence[SoundAlike]) -> list[str]:
    """For each sound-alike, the first text saying its term, with the term replaced by the everyday word."""
    out = []
    for alike in alikes:
        pattern = re.compile(rf"\b{re.escape(alike.term)}\b", re.IGNORECASE)
        said = next((t for t in texts if pattern.search(t)), None)
        if said is not None:
            out.append(pattern.sub(_everyday(alike.word), said))
    return out


def _everyday(word: str) -> Callable[[re.Match[str]], str]:
    """A replacement by the everyday word, capitalised only where the sentence starts."""
    return lambda match: word.capitalize() if match.start() == 0 else word


def soundalike_clips(texts: Sequence[str], alikes: Sequence[SoundAlike], folder: Path) -> list[Clip]:
    """The minimal pairs of `texts` as spoken clips, kept in `folder` (the retrain's work folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    pairs = minimal_pairs(texts, alikes)
    return [_spoken(text, VOICES[i % len(VOICES)], folder, i) for i, text in enumerate(pairs)]


@dataclass(frozen=True)
class Extras:
    """What every training set gets besides its own pairs: replayed general sentences (off by default) and
    minimal pairs made from that set's own sentences, so a fold never hears a held-out sentence's words."""

    replay: tuple[Clip, ...] = ()
    alikes: tuple[SoundAlike, ...] = ()
    folder: Path | None = None

    def around(self, train: Sequence[Clip]) -> list[Clip]:
        pairs = []
        if self.alikes and self.folder is not None:
            pairs = soundalike_clips([c.text for c in train], self.alikes, self.folder)
        return [*train, *self.replay, *pairs]


# Everyday frames for the probes: they favour neither the term nor the word, so the model has only the sound.
FRAMES = (
    "I wrote {} on the list this morning.",
    "Then she said {} again, a little louder.",
    "The next word on the page was {}.",
)


@dataclass(frozen=True)
class Probes:
    """Everyday sentences that sound like the server's terms, spoken; every fold's model transcribes all of
    them, so their texts repeat once per fold (fold-major) wherever a column of transcripts lines up."""

    clips: tuple[Clip, ...] = ()
    folds: int = 0

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.clips] * self.folds

    def of_fold(self, fold: int) -> range:
        return range(fold * len(self.clips), (fold + 1) * len(self.clips))


def probe_sentences(alikes: Sequence[SoundAlike]) -> list[str]:
    """Each sound-alike word in an everyday frame, the frames taken in turn."""
    return [FRAMES[i % len(FRAMES)].format(a.word) for i, a in enumerate(alikes)]


def everyday_probes(alikes: Sequence[SoundAlike], folds: int, folder: Path) -> Probes:
    """The probe sentences spoken by espeak-ng, kept in `folder` (the retrain's work folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    sentences = probe_sentences(alikes)
    return Probes(
        tuple(_spoken(text, VOICES[i % len(VOICES)], folder, i) for i, text in enumerate(sentences)), folds
    )


def _spoken(text: str, voice: str, folder: Path, index: int) -> Clip:
    """A sentence spoken once in a voice (cached by both) as a clip labelled with exactly that text."""
    path = folder / f"{hashlib.sha1(f'{voice}|{text}'.encode()).hexdigest()[:16]}.wav"
    return Clip(load_audio(speak_once(text, path, voice=voice)), text, media_id=-1000 - index)


def _spelled_alike(key: str, vocabulary: Sequence[str]) -> list[str]:
    """The CANDIDATES words spelled most like the term (a pre-filter: phonemes decide)."""
    matcher = difflib.SequenceMatcher(b=key, autojunk=False)
    scored = []
    for word in vocabulary:
        if abs(len(word) - len(key)) > 3:
            continue
        matcher.set_seq1(word)
        if matcher.real_quick_ratio() >= 0.5 and matcher.quick_ratio() >= 0.5:
            scored.append((matcher.ratio(), word))
    return [w for _, w in sorted(scored, reverse=True)[:CANDIDATES]]


def _same_word(word: str, key: str) -> bool:
    """The term itself, or a form of it ("quindles", "postgre"), is not an everyday sound-alike."""
    return word == key or word.rstrip("s") == key.rstrip("s")


def _likeness(a: str, b: str) -> float:
    return difflib.SequenceMatcher(a=a, b=b, autojunk=False).ratio()
