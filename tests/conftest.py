"""Shared fixtures: speech made by espeak-ng, a test config, a fresh data dir per test, a loopback media host.

The helpers behind them live in importable modules (tests/speech.py, tests/media_server.py); this file holds
only fixtures, because pytest loads it by itself and test modules should not import it.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.core.config import Config, load_config
from tests.media_server import MediaServer
from tests.postgres_cluster import PostgresUnavailable, create_database, throwaway_cluster
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


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """One throwaway PostgreSQL cluster for the whole session (about 2 s to start); skips, saying why, where
    PostgreSQL cannot be installed or started."""
    try:
        cluster = throwaway_cluster()
        url = cluster.__enter__()
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    try:
        yield url
    finally:
        cluster.__exit__(None, None, None)


_databases = itertools.count(1)


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A fresh, empty database of its own per test, on the session's cluster."""
    return create_database(postgres_server, f"test_{next(_databases)}")


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """What Store.open takes, once per engine: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return tmp_path / "db" / "captions.db"
    return request.getfixturevalue("postgres_url")
