"""Hostile media hosts (loopback only): what a link may make the bot fetch, how much and how long.

Each test counts what reached the host or the stand-in for an inside address, as the security review did.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot.core.config import config_from_dict
from bot.core.errors import MediaError
from bot.core.media import downloads
from bot.core.media.audio import decode_to_wav
from bot.core.media.downloads import allowed_extractors, clean_remote_text, download
from bot.discord_app.attachments import is_media
from tests.hostile_host import BOMB_BYTES, CHUNK, HostileHost, InsideListener


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


# --- uploads: only real audio and video containers are decoded ------------------------------------------


def _playlist_naming(target: Path) -> bytes:
    return f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:1.0,\n{target}\n#EXT-X-ENDLIST\n".encode()


@pytest.mark.parametrize("name", ["voice.ogg", "song.mp3"])
def test_a_playlist_named_as_audio_is_refused_and_reads_no_local_file(tmp_path, make_speech, name):
    """The playlist names a FIFO: opening it for writing returns only if someone (ffmpeg) opens it to read."""
    secret = tmp_path / "secret.wav"
    os.mkfifo(secret)
    opened, stop = threading.Event(), threading.Event()
    recording = make_speech("A private recording.").read_bytes()

    def serve_secret() -> None:
        while not stop.is_set():
            with secret.open("wb") as fifo:  # blocks until a reader opens the FIFO
                if stop.is_set():
                    return
                opened.set()
                with contextlib.suppress(BrokenPipeError):
                    fifo.write(recording)

    writer = threading.Thread(target=serve_secret, daemon=True)
    writer.start()
    upload = tmp_path / name
    upload.write_bytes(_playlist_naming(secret))
    out = tmp_path / "out.wav"
    try:
        with pytest.raises(MediaError, match="not an audio or video file"):
            decode_to_wav(upload, out, _media_config())
        assert not opened.is_set()
        assert not out.exists()
    finally:
        stop.set()
        with secret.open("rb"):  # release the writer either way
            pass
        writer.join(5)


def test_playlist_content_types_are_not_media():
    assert not is_media("voice.ogg", "audio/x-mpegurl")
    assert not is_media("list.m3u8", "application/vnd.apple.mpegurl")
    assert not is_media("radio.pls", "audio/x-scpls")
    assert is_media("voice.ogg", "audio/ogg")


def test_every_common_container_still_decodes(tmp_path, make_speech):
    """The demuxer allowlist keeps what people post: ogg/opus, mp3, m4a/mp4, webm, flac, wav, aac."""
    source = make_speech("Containers people post.")
    for suffix in (".ogg", ".opus", ".mp3", ".m4a", ".mp4", ".webm", ".flac", ".wav", ".aac", ".mkv"):
        media = tmp_path / f"clip{suffix}"
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(source), str(media)], check=True)
        assert decode_to_wav(media, tmp_path / "out.wav", _media_config()) > 1.0, suffix


_DOWNLOAD_IN_A_CHILD = """
import resource, sys
from pathlib import Path
from bot.core.config import config_from_dict
from bot.core.media import downloads
from bot.core.media.downloads import allowed_extractors, clean_remote_text, download
from bot.core.errors import MediaError
limit = int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # a write past it fails (EFBIG)
media = {"allowed_hosts": ["127.0.0.1"], "allow_private_addresses": True, "max_size_mb": 1}
try:
    download(sys.argv[1], Path(sys.argv[2]), config_from_dict({"media": media}).media)
except MediaError as exc:
    print(exc)
"""


def test_a_stream_without_content_length_stops_at_the_size_limit(tmp_path, host):
    """It wrote 2.15 GB with a 1 MB limit. The kernel (RLIMIT_FSIZE) now holds the child that downloads to
    the limit plus one 64 KiB block: one byte more written anywhere fails, and the error differs."""
    ceiling = 1024 * 1024 + CHUNK
    started = time.monotonic()
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            _DOWNLOAD_IN_A_CHILD,
            f"{host.base_url}/endless.ogg",
            str(tmp_path),
            str(ceiling),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    assert child.stdout.strip() == "the media is larger than the 1 MB limit"
    assert time.monotonic() - started < 10
    assert not list(tmp_path.iterdir())  # the partial file is removed too


def test_a_long_playlist_feed_is_refused_before_its_entries_are_fetched(tmp_path, host):
    """A 300-entry feed made 301 requests before "playlists are not captioned"."""
    with pytest.raises(MediaError, match="playlists are not captioned"):
        download(f"{host.base_url}/feed.xml", tmp_path, _media_config())
    assert len(host.requests) <= 2, host.requests[:5]
    assert not any(path.startswith("/episode") for path in host.requests)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
        ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of 169.254.169.254, the cloud metadata address
        ("2002:7f00:1::1", False),  # 6to4 of 127.0.0.1
        ("2002:c0a8:101::1", False),  # 6to4 of 192.168.1.1
        ("::ffff:127.0.0.1", False),
        ("64:ff9b::808:808", True),  # NAT64 of 8.8.8.8
        ("2002:808:808::1", True),  # 6to4 of 8.8.8.8
        ("2606:4700:4700::1111", True),
        ("8.8.8.8", True),
        ("127.0.0.1", False),
    ],
)
def test_nat64_and_6to4_addresses_are_judged_by_the_ipv4_address_inside(address, public):
    from bot.core.media.net_guard import is_public

    assert is_public(address) is public


def test_yt_dlp_warnings_reach_the_log(tmp_path, host, caplog):
    """yt-dlp's warnings ("some formats may be missing" without a JavaScript runtime) were swallowed."""
    with caplog.at_level(logging.WARNING, logger="bot.core.media.downloads"):
        fetched = download(f"{host.base_url}/page.html", tmp_path, _media_config())
    assert fetched.path.read_bytes() == host.media
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("Falling back on generic information extractor" in w for w in warnings), warnings


def test_yt_dlp_is_given_a_javascript_runtime_it_supports():
    """yt-dlp 2026.10.26 enables only deno by default, and needs deno >= 2.3 and yt-dlp-ejs for YouTube."""
    import yt_dlp

    from bot.core.media.downloads import _js_runtimes

    runtimes = _js_runtimes()
    if not runtimes["deno"]:
        pytest.skip("the deno package is not installed in this venv (pyproject.toml lists it)")
    with yt_dlp.YoutubeDL({"js_runtimes": runtimes, "quiet": True}) as ydl:
        info = ydl._js_runtimes["deno"].info
    assert info is not None and info.supported, info


CONSENT = "https://consent.youtube.com/m?continue=ftp%3A%2F%2F127.0.0.1%3A{port}%2Fclip.ogg&gl=NL&m=0&pc=yt"


def test_the_consent_redirect_is_never_enabled_so_it_cannot_hand_on_an_ftp_link(tmp_path, inside):
    """H1: consent.youtube.com passes the allow-list (a youtube.com subdomain) and hands `continue=` on."""
    import yt_dlp
    from yt_dlp.extractor import gen_extractor_classes

    url = CONSENT.format(port=inside.port)
    names = {str(ie.IE_NAME).lower() for ie in gen_extractor_classes()}  # yt-dlp's real list
    patterns = allowed_extractors(("youtube.com", "youtu.be"))
    enabled = {name for name in names if any(re.fullmatch(p, name) for p in patterns)}
    assert "youtube:consent" in names and "youtube" in enabled and "youtube:consent" not in enabled
    assert "generic" not in enabled and len(enabled) < 20  # of about 1,900
    assert "generic" in {
        n for n in names if any(re.fullmatch(p, n) for p in allowed_extractors(("127.0.0.1",)))
    }

    youtube = _media_config(allowed_hosts=["youtube.com", "youtu.be"], download_timeout_seconds=3)
    with pytest.raises(MediaError):
        download(url, tmp_path, youtube)
    assert inside.connections == 0

    # control: yt-dlp with the consent extractor (and the generic one the consent page hands the link to)
    # does open the ftp: link on the inside address, through urllib's ftplib
    control = {"allowed_extractors": ["^youtube:consent$", "^generic$"], "quiet": True, "socket_timeout": 1}
    with contextlib.suppress(yt_dlp.utils.YoutubeDLError), yt_dlp.YoutubeDL(control) as ydl:
        ydl.extract_info(url, download=False)
    assert inside.connections >= 1


def test_a_page_sending_on_to_ftp_is_refused_at_the_next_stage(tmp_path, host, inside):
    with pytest.raises(MediaError, match="only http and https"):
        download(f"{host.base_url}/refresh-ftp", tmp_path, _media_config(download_timeout_seconds=3))
    assert inside.connections == 0 and host.requests == ["/refresh-ftp"]


def test_no_socket_of_a_download_reaches_an_inside_address_whoever_opens_it(inside):
    """The audit hook sees ftplib's own socket, which the urllib connection guard never did."""
    import ftplib

    from bot.core.media import net_guard

    net_guard.install_socket_audit()
    errors: list[BaseException] = []

    def in_a_download() -> None:
        net_guard.download_policy.active = True
        net_guard.download_policy.refuse_private = True
        try:
            ftplib.FTP().connect("127.0.0.1", inside.port, timeout=2)
        except OSError as error:
            errors.append(error)
        finally:
            net_guard.download_policy.active = False
            net_guard.download_policy.refuse_private = False

    thread = threading.Thread(target=in_a_download)
    thread.start()
    thread.join(10)
    assert errors and "private address" in str(errors[0]) and inside.connections == 0
    # control: outside a download the same connection is made (the listener counts it)
    with contextlib.suppress(OSError):
        ftplib.FTP().connect("127.0.0.1", inside.port, timeout=0.5)
    assert inside.connections == 1


@pytest.mark.parametrize("route", ["stacked", "inflating"])
def test_a_compressed_bomb_is_refused_before_it_is_inflated(tmp_path, host, route):
    """3 gzip layers, or one that inflates to 16 MiB past a 1 MB limit: refused, never decoded whole."""
    with pytest.raises(MediaError, match="refused"):
        download(f"{host.base_url}/{route}", tmp_path, _media_config(max_size_mb=1))
    assert host.requests == [f"/{route}"] and BOMB_BYTES > 1024 * 1024


def _mime_warnings(host: HostileHost, tmp_path: Path, caplog) -> list[logging.LogRecord]:
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="bot.core.media"), pytest.raises(MediaError):
        download(f"{host.base_url}/manifest.mpd", tmp_path, _media_config(download_timeout_seconds=5))
    return [r for r in caplog.records if "Unknown MIME type" in r.getMessage()]


def test_yt_dlp_warnings_quoting_a_remote_site_are_one_bounded_line(tmp_path, host, caplog, monkeypatch):
    """L7: yt-dlp's warning quotes the manifest's MIME type, which the remote host wrote: the log gets one
    line, without the forged record's new line or the right-to-left override, cut to 300 characters."""
    warned = _mime_warnings(host, tmp_path, caplog)
    assert len(warned) == 1, [r.getMessage() for r in caplog.records]
    record = warned[0]
    message = record.getMessage()
    assert record.msg == "yt-dlp: %s"  # remote text is an argument, never the format
    assert "evil/type" in message and host.FORGED_LOG_LINE in message  # the text is kept, as text
    assert "\n" not in message and "\u202e" not in message and "\ufffd" in message
    assert len(message) < 400 and "more characters)" in message
    # control: what yt-dlp hands over really holds the new line, the override and the 5,000 characters
    monkeypatch.setattr(downloads, "clean_remote_text", lambda text, limit=0: text)
    (raw,) = _mime_warnings(host, tmp_path, caplog)
    assert "\n" + host.FORGED_LOG_LINE in raw.getMessage() and "\u202e" in raw.getMessage()
    assert len(raw.getMessage()) > 5000
    assert clean_remote_text("\x1b[31mred\x1b[0m \x1b]0;title\x07ok") == "red ok"  # terminal escapes


def test_a_gzipped_page_still_works(tmp_path, host):
    fetched = download(f"{host.base_url}/gzip-page", tmp_path, _media_config())
    assert fetched.path.stat().st_size == len(host.media)
