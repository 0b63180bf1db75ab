"""Hostile media hosts (loopback only): what a link may make the bot fetch, how much and how long.

Each test counts what reached the host or the stand-in for an inside address, as the security review did.
"""

from __future__ import annotations

import time

import pytest

from bot.config import config_from_dict
from bot.downloads import download
from bot.errors import MediaError
from tests.hostile_host import HostileHost, InsideListener


def _media_config(**overrides: object) -> object:
    media = {"allowed_hosts": ["127.0.0.1"], "allow_private_addresses": True, "max_duration_seconds": 60}
    return config_from_dict({"media": media | overrides}).media


@pytest.fixture
def inside():
    listener = InsideListener()
    yield listener
    listener.close()


@pytest.fixture
def host(make_speech, inside):
    server = HostileHost(make_speech("A clip on a hostile host.", suffix=".ogg").read_bytes(), inside)
    yield server
    server.close()


def test_an_hls_playlist_is_not_handed_to_ffmpeg(tmp_path, host, inside):
    """The SAMPLE-AES key made yt-dlp call ffmpeg, which fetched from the inside address past the deadline."""
    started = time.monotonic()
    with pytest.raises(MediaError, match="only offered as a stream"):
        download(f"{host.base_url}/hls.m3u8", tmp_path, _media_config(download_timeout_seconds=3))
    assert time.monotonic() - started < 3 + 1.5
    assert inside.connections == 0
    assert not list(tmp_path.glob("download.*"))


def test_a_redirect_to_ftp_is_refused_without_connecting(tmp_path, host, inside):
    with pytest.raises(MediaError, match="redirect to ftp: refused"):
        download(f"{host.base_url}/redirect-ftp", tmp_path, _media_config())
    assert inside.connections == 0


def test_environment_proxies_are_ignored(tmp_path, host, inside, monkeypatch):
    """With HTTP(S)_PROXY set, the guard saw only the proxy's address; the proxy is not used at all now."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{inside.port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    fetched = download(f"{host.base_url}/clip.ogg", tmp_path, _media_config(download_timeout_seconds=5))
    assert fetched.path.read_bytes() == host.media
    assert inside.connections == 0
    assert host.requests  # the host itself was asked, directly
