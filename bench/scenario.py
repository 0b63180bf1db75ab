"""A community with its own words, spoken by espeak-ng: the data the demo, the learning test and the
benchmarks share. None of the terms is English, so tiny.en cannot spell them until it has learned them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trainer.guard import speak

TERMS = ["Zorblax", "Quindle", "Mervathon", "Glimraid"]

TRAINING_SENTENCES = [
    "The Zorblax server restarts every night at midnight.",
    "Please add more Quindle nodes before the weekend.",
    "Mervathon is hosting the stream on Friday evening.",
    "Our next Glimraid starts right after dinner.",
    "I moved the Zorblax logs to the shared folder.",
    "The Quindle cluster is running out of memory again.",
    "Ask Mervathon before you change the settings.",
    "We lost the Glimraid because nobody brought healers.",
    "Zorblax and Quindle need an update this week.",
    "Mervathon wrote a guide for the Glimraid bosses.",
    "The old Zorblax dashboard is finally gone.",
    "Every Quindle report goes to the moderators first.",
    "Mervathon fixed the Zorblax backup script yesterday.",
    "Sign up for the Glimraid in the events channel.",
    "The Quindle upgrade made everything much faster.",
    "Thank Mervathon for the new Glimraid schedule.",
]

HELD_OUT_SENTENCES = [
    "Can someone restart the Zorblax service for me?",
    "The Quindle team meets on Monday morning.",
    "Mervathon will lead the practice session today.",
    "The Glimraid rewards were better than last time.",
    "Is the Zorblax update ready for the Quindle nodes?",
    "Mervathon says the Glimraid is full.",
]


@dataclass(frozen=True)
class SpokenSet:
    paths: list[Path]
    texts: list[str]


def spoken(sentences: list[str], folder: Path, prefix: str) -> SpokenSet:
    """Speak each sentence into folder (cached: an existing file is reused)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, text in enumerate(sentences):
        path = folder / f"{prefix}-{index:02d}.wav"
        if not path.exists():
            speak(text, path)
        paths.append(path)
    return SpokenSet(paths, list(sentences))
