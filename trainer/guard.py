"""The forgetting guard: general speech (none of any guild's vocabulary) that a new model must not get worse on.

Measured here: fine-tuning damages long-form transcription far more than short clips, so the guard holds a
long recording (the sentences read one after another) as well as the short ones. The audio is generated
with espeak-ng once per data dir, so its reference text is known exactly.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.audio import load_audio
from bot.errors import UserError

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


def speak(text: str, out: Path, *, speed: int = 155) -> Path:
    """Speak text into a 16 kHz mono WAV with espeak-ng (deterministic on one machine)."""
    raw = out.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", str(speed), "-w", str(raw), text], check=True)
    subprocess.run(["sox", "-R", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out)], check=True)
    raw.unlink()
    return out


def guard_set(data_dir: Path) -> GuardSet:
    """Short clips plus one long recording, generated once and kept under data_dir/guard."""
    if shutil.which("espeak-ng") is None or shutil.which("sox") is None:
        raise UserError("the forgetting guard needs espeak-ng and sox; install them (make deps)")
    folder = data_dir / "guard"
    folder.mkdir(parents=True, exist_ok=True)
    texts = [*SENTENCES[:SHORT_CLIPS], " ".join(SENTENCES)]
    clips = []
    for index, text in enumerate(texts):
        path = folder / f"guard-{index}.wav"
        if not path.exists():
            tmp = folder / f"guard-{index}.tmp.wav"
            speak(text, tmp)
            tmp.replace(path)
        clips.append(load_audio(path))
    return GuardSet(clips, texts)
