"""Shared fixtures: speech made by espeak-ng, a test config and a fresh data dir per test.

Audio is generated once per session (espeak-ng is deterministic on one machine), never committed.
"""

from __future__ import annotations

import hashlib
import http.server
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest


def _require(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is not installed; run 'make deps' (it installs espeak-ng, sox and ffmpeg)")


def _codec(suffix: str) -> list[str]:
    """Discord voice messages are Ogg Opus; other suffixes take ffmpeg's default codec."""
    return ["-c:a", "libopus", "-b:a", "32k"] if suffix == ".ogg" else []


@pytest.fixture(scope="session")
def speech_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("speech")


@pytest.fixture(scope="session")
def make_speech(speech_dir: Path) -> Callable[..., Path]:
    """Return a function that speaks a sentence into a 16 kHz mono wav (cached per text and options)."""
    _require("espeak-ng")
    _require("sox")

    def speak(text: str, *, voice: str = "en-us", speed: int = 150, suffix: str = ".wav") -> Path:
        key = hashlib.sha1(f"{text}|{voice}|{speed}|{suffix}".encode()).hexdigest()[:16]
        out = speech_dir / f"{key}{suffix}"
        if out.exists():
            return out
        raw = speech_dir / f"{key}.raw.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text], check=True)
        if suffix == ".wav":
            subprocess.run(
                ["sox", "-R", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out)], check=True
            )
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

    return speak


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def config_file(tmp_path: Path, data_dir: Path) -> Path:
    """A config for tests: data in a temp folder, links to the loopback media server allowed."""
    path = tmp_path / "config.toml"
    path.write_text(
        f"""
[storage]
data_dir = "{data_dir}"

[media]
allowed_hosts = ["127.0.0.1"]
allow_private_addresses = true
download_timeout_seconds = 30.0

[training]
min_pairs = 2
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def config(config_file: Path):
    from bot.config import load_config

    return load_config(config_file)


class QuietHTTPServer(http.server.ThreadingHTTPServer):
    """A client that hangs up early (yt-dlp does, after reading what it needs) is not an error worth printing."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class MediaServer:
    """A loopback HTTP server standing in for a video host: serves files and chosen status codes."""

    def __init__(self, root: Path) -> None:
        import http.server
        import threading

        self.root = root
        server_root = root

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(server_root), **kwargs)

            def log_message(self, format, *args):
                pass

        self.httpd = QuietHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def publish(self, path: Path, name: str | None = None) -> str:
        target = self.root / (name or path.name)
        shutil.copyfile(path, target)
        return f"{self.base_url}/{target.name}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def media_server(tmp_path_factory: pytest.TempPathFactory):
    server = MediaServer(tmp_path_factory.mktemp("served"))
    yield server
    server.close()


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate after Whisper-style normalisation, for assertions with a margin."""
    import jiwer

    from bot.alignment import normalize_words

    return jiwer.wer(" ".join(normalize_words(reference)), " ".join(normalize_words(hypothesis)))
