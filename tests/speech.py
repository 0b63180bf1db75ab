"""Speech made by espeak-ng, and the word error rate the tests assert with.

Audio is generated on demand and cached per text and options (espeak-ng is deterministic on one machine),
never committed; the ``make_speech`` fixture in conftest.py gives each session one cache folder.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest


def require_tools(*tools: str) -> None:
    """Fail (not skip) without a tool: a skipped speech test would hide that the suite tested nothing."""
    for tool in tools:
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed; run 'make deps' (it installs espeak-ng, sox and ffmpeg)")


def _codec(suffix: str) -> list[str]:
    """Discord voice messages are Ogg Opus; other suffixes take ffmpeg's default codec."""
    return ["-c:a", "libopus", "-b:a", "32k"] if suffix == ".ogg" else []


def speak(text: str, folder: Path, *, voice: str = "en-us", speed: int = 150, suffix: str = ".wav") -> Path:
    """A 16 kHz mono wav (or 48 kHz in another container for other suffixes) of the sentence, made once."""
    key = hashlib.sha1(f"{text}|{voice}|{speed}|{suffix}".encode()).hexdigest()[:16]
    out = folder / f"{key}{suffix}"
    if out.exists():
        return out
    raw = folder / f"{key}.raw.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text], check=True)
    if suffix == ".wav":
        subprocess.run(["sox", "-R", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out)], check=True)
    else:
        subprocess.run(
            [
                "ffmpeg",
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-i",
                str(raw),
                "-ar",
                "48000",
                *_codec(suffix),
                str(out),
            ],
            check=True,
        )
    raw.unlink()
    return out


def wer_plain_words(reference: str, hypothesis: str) -> float:
    """Word error rate over lowercase words without punctuation (the bot's ``normalize_words``).

    Stricter than Whisper's English normaliser that the trainer and the benchmarks score with
    (``bench.common.word_errors_whisper_normalised``): a number spelt out or a contraction counts as an error here,
    so assertions keep a margin.
    """
    import jiwer

    from bot.core.captions.alignment import normalize_words

    return jiwer.wer(" ".join(normalize_words(reference)), " ".join(normalize_words(hypothesis)))
