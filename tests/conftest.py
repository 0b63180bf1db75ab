"""Shared fixtures: speech made by espeak-ng, a test config, a fresh data dir per test, a loopback media host.

The helpers behind them live in importable modules (tests/speech.py, tests/media_server.py); this file holds
only fixtures, because pytest loads it by itself and test modules should not import it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.config import Config, load_config
from tests.media_server import MediaServer
from tests.speech import require_tools, speak


@pytest.fixture(scope="session")
def speech_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("speech")


@pytest.fixture(scope="session")
def make_speech(speech_dir: Path) -> Callable[..., Path]:
    """Return a function that speaks a sentence into a 16 kHz mono wav (cached per text and options)."""
    require_tools("espeak-ng", "sox")
    return functools.partial(speak, folder=speech_dir)


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
def config(config_file: Path) -> Config:
    return load_config(config_file)


@pytest.fixture(scope="module", params=[1, 2], ids=["shards1", "shards2"])
def discord_shards(request: pytest.FixtureRequest) -> int:
    """Gateway shards of the bot in the Discord tests: every scenario runs on 1 shard and on 2.

    Module-scoped, so each test module starts its bot once per count and runs all its tests against it.
    """
    return int(request.param)


@pytest.fixture(scope="session")
def media_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MediaServer]:
    server = MediaServer(tmp_path_factory.mktemp("served"))
    yield server
    server.close()
