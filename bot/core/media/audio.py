"""Audio in and out of storage: any media file decoded to 16 kHz mono 16-bit WAV, and read back as samples.

WAV of that shape is what Whisper hears and is cheap to slice for training pairs, so it is the one form
audio is kept in; the trainer reads it through load_audio and needs nothing else of the bot's media
handling. The real duration (ffprobe) is checked before decoding, so an over-long file costs no decode.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.core.config import MediaConfig
from bot.core.errors import MediaError

SAMPLE_RATE = 16000


def require_tools() -> None:
    missing = [tool for tool in ("ffmpeg", "ffprobe") if shutil.which(tool) is None]
    if missing:
        raise MediaError(f"{' and '.join(missing)} not found; install ffmpeg (make deps does it)")


def too_long_message(duration: float, config: MediaConfig) -> str:
    """Said alike whether the host reported the length or ffprobe measured it."""
    return (
        f"the media is {duration / 60:.1f} minutes long; the limit is "
        f"{config.max_duration_seconds / 60:.1f} minutes"
    )


def too_long_error(duration: float, config: MediaConfig) -> MediaError:
    """too_long_message as a MediaError naming its catalog entry (the Discord layer shows it translated)."""
    values = {"minutes": f"{duration / 60:.1f}", "limit": f"{config.max_duration_seconds / 60:.1f}"}
    return MediaError(too_long_message(duration, config), key="media.too_long", values=values)


def too_big_error(config: MediaConfig) -> MediaError:
    return MediaError(
        f"the media is larger than the {config.max_size_mb:g} MB limit",
        key="media.too_big",
        values={"limit": f"{config.max_size_mb:g}"},
    )


# Demuxers of real audio and video containers. Anything else ffmpeg can open (hls and other playlists,
# concat, image sequences, subtitles) may name other files or URLs that ffmpeg would then read: a file named
# .ogg holding an #EXTM3U list made the bot transcribe a local file. Probing is limited to these, decoding is
# told the one found (-f), and only the file itself may be opened (-protocol_whitelist file).
DEMUXERS = (
    "wav,w64,mp3,ogg,flac,mov,matroska,aac,avi,asf,mpeg,mpegts,amr,aiff,caf,au,wv,ape,flv,"
    "ac3,eac3,dts,truehd,mlp,tta,voc,rm"
)
_FILE_ONLY = ["-protocol_whitelist", "file", "-format_whitelist", DEMUXERS]


@dataclass(frozen=True)
class Probe:
    """What ffprobe found: the longest duration reported and the demuxer to decode with."""

    duration: float
    demuxer: str


def probe_duration(path: Path) -> float:
    """The container's duration in seconds, or 0.0 when it has no audio stream."""
    return probe(path).duration


def probe(path: Path) -> Probe:
    """Duration and demuxer of a real audio/video file; anything else is one clear MediaError."""
    try:
        result = subprocess.run(
            [
                "ffprobe",
                "-v",
                "error",
                *_FILE_ONLY,
                "-select_streams",
                "a",
                "-show_entries",
                "stream=duration:format=duration,format_name",
                "-of",
                "json",
                f"file:{path}",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        raise MediaError(
            f"{path.name} could not be read in time; is it a real audio or video file?"
        ) from None
    data = json.loads(result.stdout or "{}") if result.returncode == 0 else {}
    demuxer = str(data.get("format", {}).get("format_name", "")).split(",")[0]
    if not demuxer or demuxer not in DEMUXERS.split(","):
        raise MediaError(
            f"{path.name} is not an audio or video file that can be read",
            key="media.not_readable",
            values={"name": path.name},
        )
    if not data.get("streams"):
        raise MediaError(
            f"{path.name} has no audio track", key="media.no_audio_track", values={"name": path.name}
        )
    durations = [float(s["duration"]) for s in data["streams"] if s.get("duration") not in (None, "N/A")]
    fmt = data.get("format", {}).get("duration")
    if fmt not in (None, "N/A"):
        durations.append(float(fmt))
    return Probe(duration=max(durations, default=0.0), demuxer=demuxer)


def decode_to_wav(src: Path, dst: Path, config: MediaConfig) -> float:
    """Decode any audio/video file to 16 kHz mono WAV at dst; returns the decoded duration in seconds."""
    require_tools()
    if not src.exists():
        raise MediaError(f"{src} does not exist")
    if src.is_dir():
        raise MediaError(f"{src} is a folder, not a media file")
    if src.stat().st_size == 0:
        raise MediaError(f"{src.name} is empty (0 bytes)")
    if src.stat().st_size > config.max_size_mb * 1024 * 1024:
        raise MediaError(f"{src.name} is larger than the {config.max_size_mb:g} MB limit")
    found = probe(src)
    if found.duration > config.max_duration_seconds:
        raise too_long_error(found.duration, config)
    tmp = dst.with_name(dst.name + ".part")
    result = subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-y",
            *_FILE_ONLY,
            "-f",
            found.demuxer,
            "-i",
            f"file:{src}",
            "-vn",
            "-ac",
            "1",
            "-ar",
            str(SAMPLE_RATE),
            "-sample_fmt",
            "s16",
            "-t",
            str(config.max_duration_seconds + 1),
            "-f",
            "wav",
            str(tmp),
        ],
        capture_output=True,
        text=True,
        timeout=max(120.0, config.max_duration_seconds),
    )
    if result.returncode != 0 or not tmp.exists():
        tmp.unlink(missing_ok=True)
        raise MediaError(
            f"{src.name} could not be decoded as audio; send a common audio or video format",
            key="media.not_decodable",
            values={"name": src.name},
        )
    duration = wav_duration(tmp)
    if duration < 0.05:
        tmp.unlink(missing_ok=True)
        raise MediaError(f"{src.name} contains no audio (zero length)")
    if duration > config.max_duration_seconds:
        tmp.unlink(missing_ok=True)
        raise too_long_error(duration, config)
    tmp.replace(dst)
    return duration


def wav_duration(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def load_audio(path: Path, start: float = 0.0, end: float | None = None) -> np.ndarray:
    """Samples of a 16 kHz mono 16-bit WAV (written by decode_to_wav) as float32 in [-1, 1]."""
    with wave.open(str(path), "rb") as wav:
        if wav.getframerate() != SAMPLE_RATE or wav.getnchannels() != 1 or wav.getsampwidth() != 2:
            raise MediaError(f"{path.name} is not 16 kHz mono 16-bit audio")
        first = max(0, int(start * SAMPLE_RATE))
        last = wav.getnframes() if end is None else min(wav.getnframes(), int(end * SAMPLE_RATE))
        wav.setpos(min(first, wav.getnframes()))
        frames = wav.readframes(max(0, last - first))
    return np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0


def remove_files(paths: Iterable[str | Path]) -> int:
    """Delete stored audio files; one already gone is not an error. Returns how many were deleted."""
    removed = 0
    for path in paths:
        try:
            Path(path).unlink()
            removed += 1
        except FileNotFoundError:
            pass
    return removed


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def temporary_dir(data_dir: Path) -> tempfile.TemporaryDirectory[str]:
    """Scratch space beside the data, so a finished file can be renamed into place without a copy."""
    scratch = data_dir / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(dir=scratch)
