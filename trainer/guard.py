"""The forgetting guard: general speech that a server's serving plan must not get worse on.

Two sets. Real recorded speech with human references (shared/data/real-speech: read, spontaneous and
meeting speech, one long recording) is the gate: every candidate plan is scored on it through exactly the
served path (the long recording goes through the batched pipeline) against the base exported the same way
(import, merge, convert: the int8 rounding alone moves its WER), per file and paired, so versions cannot
drift by a margin each. Measured here, forgetting is a handful of rare words coined anew (13 words in 926),
which an absolute margin on the pooled WER cannot see; the margin is a share of the base's own errors.
The set is a gate only: nothing here chooses epochs, scales or hints.

The generated set (espeak-ng sentences, each short and all of them as one long recording) stays as a
second, cheap check that needs nothing but espeak-ng.
"""

from __future__ import annotations

import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.core.config import MediaConfig
from bot.core.errors import UserError
from bot.core.media.audio import decode_to_wav, load_audio
from bot.core.retrain.result import GeneralSpeechCheck

PROJECT_ROOT = Path(__file__).resolve().parents[1]
MIN_EXTRA_WORDS = 2  # a candidate may always differ from the base by this many words (decoding noise)

SENTENCES = [
    "The weather was cold this morning, so we stayed inside and read the newspaper.",
    "Please remember to buy milk, bread and a dozen eggs on your way home.",
    "The train to the city leaves every twenty minutes from the second platform.",
    "She planted tomatoes and beans in the garden behind the old house.",
    "Our meeting has been moved to Thursday afternoon because of the holiday.",
    "The children played football in the park until it started to rain.",
    "He opened the window to let some fresh air into the small kitchen.",
    "We walked along the river and watched the boats go by for an hour.",
    "The library closes early on Sundays, so return your books before noon.",
    "My sister is learning to play the piano and practices every evening.",
    "The doctor said that I should drink more water and sleep a little longer.",
    "They painted the fence white and fixed the broken gate last weekend.",
]
SHORT_CLIPS = 6  # the first sentences, each on its own; all of them together make the long recording


@dataclass(frozen=True)
class GuardSet:
    clips: list[np.ndarray]
    references: list[str]


def speak(text: str, out: Path, *, speed: int = 155, voice: str = "en-us") -> Path:
    """Speak text into a 16 kHz mono WAV with espeak-ng (deterministic on one machine)."""
    raw = out.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text], check=True)
    subprocess.run(["sox", "-R", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out)], check=True)
    raw.unlink()
    return out


def speak_once(text: str, path: Path, *, voice: str = "en-us") -> Path:
    """`path` holds the sentence spoken: made once (through a temporary file, so an interrupted run never
    leaves half a WAV to be reused) and reused after."""
    if not path.exists():
        tmp = path.with_suffix(".tmp.wav")
        speak(text, tmp, voice=voice)
        tmp.replace(path)
    return path


def guard_set(data_dir: Path) -> GuardSet:
    """Short clips plus one long recording, generated once and kept under data_dir/guard."""
    if shutil.which("espeak-ng") is None or shutil.which("sox") is None:
        raise UserError("the forgetting guard needs espeak-ng and sox; install them (make deps)")
    folder = data_dir / "guard"
    folder.mkdir(parents=True, exist_ok=True)
    texts = [*SENTENCES[:SHORT_CLIPS], " ".join(SENTENCES)]
    clips = []
    for index, text in enumerate(texts):
        clips.append(load_audio(speak_once(text, folder / f"guard-{index}.wav")))
    return GuardSet(clips, texts)


@dataclass(frozen=True)
class SpeechSet:
    """Named recordings with references; files that could not be read are listed, never scored as empty."""

    names: list[str]
    clips: list[np.ndarray]
    references: list[str]
    skipped: list[str]


def real_speech_dir(configured: str) -> Path | None:
    """The configured folder, else shared/data/real-speech beside the project if it is there."""
    folder = (
        Path(configured).expanduser()
        if configured
        else PROJECT_ROOT.parent / "shared" / "data" / "real-speech"
    )
    if (folder / "refs.tsv").is_file():
        return folder
    if configured:
        raise UserError(f"[training] general_speech_dir {configured} has no refs.tsv (file, seconds, text)")
    return None


def real_speech_references(folder: Path) -> list[tuple[str, str]]:
    """(file name, reference text) of each recording listed in refs.tsv (file, seconds, text)."""
    rows = [line.split("\t") for line in (folder / "refs.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    return [(parts[0], parts[2]) for parts in rows if len(parts) >= 3 and parts[2].strip()]


def real_speech_set(folder: Path, cache: Path, media: MediaConfig) -> SpeechSet:
    """The recordings listed in refs.tsv, decoded once to 16 kHz WAV under `cache` (they are FLAC)."""
    names: list[str] = []
    clips: list[np.ndarray] = []
    references: list[str] = []
    skipped: list[str] = []
    cache.mkdir(parents=True, exist_ok=True)
    for name, text in real_speech_references(folder):
        wav = cache / f"{Path(name).stem}.wav"
        try:
            if not wav.is_file():
                decode_to_wav(folder / name, wav, media)
            clips.append(load_audio(wav))
        except (OSError, EOFError, wave.Error, UserError) as exc:
            skipped.append(f"{name}: unreadable ({type(exc).__name__})")
            continue
        names.append(name)
        references.append(text)
    return SpeechSet(names, clips, references, skipped)


@dataclass(frozen=True)
class GuardVerdict:
    passed: bool
    base_errors: int
    candidate_errors: int
    words: int
    allowed_extra: int
    per_file: dict[str, tuple[int, int]]  # name -> (base errors, candidate errors)
    skipped: list[str]

    @property
    def base_wer(self) -> float:
        return self.base_errors / self.words if self.words else 0.0

    @property
    def candidate_wer(self) -> float:
        return self.candidate_errors / self.words if self.words else 0.0

    def describe(self) -> str:
        return (
            f"real speech WER {self.base_wer:.3f} (base) -> {self.candidate_wer:.3f} "
            f"({self.candidate_errors - self.base_errors:+d} words of {self.words}, allowed +{self.allowed_extra})"
        )

    def check(self, plan: str, candidate: str) -> GeneralSpeechCheck:
        """This verdict as the job result reports it, for the plan described and the candidate it serves."""
        return GeneralSpeechCheck(
            plan=plan,
            passed=self.passed,
            description=self.describe(),
            candidate=candidate,
            base_wer=round(self.base_wer, 4),
            wer=round(self.candidate_wer, 4),
            base_errors=self.base_errors,
            errors=self.candidate_errors,
            words=self.words,
            allowed_extra_words=self.allowed_extra,
            files_worse={n: b for n, b in self.per_file.items() if b[1] > b[0]},
            skipped=tuple(self.skipped),
        )


def paired_verdict(
    names: list[str],
    base: list[tuple[int, int]],
    candidate: list[tuple[int, int]],
    margin: float,
    skipped: list[str],
) -> GuardVerdict:
    """Compare per file (errors, words): refuse when the candidate adds more than `margin` of the base's errors."""
    base_errors = sum(e for e, _ in base)
    candidate_errors = sum(e for e, _ in candidate)
    allowed = max(MIN_EXTRA_WORDS, int(margin * base_errors))
    return GuardVerdict(
        candidate_errors - base_errors <= allowed,
        base_errors,
        candidate_errors,
        sum(w for _, w in base),
        allowed,
        {n: (b[0], c[0]) for n, b, c in zip(names, base, candidate, strict=True)},
        skipped,
    )
