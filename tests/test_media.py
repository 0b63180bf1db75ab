"""Media in: the link allowlist, real yt-dlp against a loopback server, decoding with ffmpeg."""

from __future__ import annotations

import subprocess

import pytest

from bot.core.config import config_from_dict
from bot.core.errors import MediaError
from bot.core.media.audio import decode_to_wav, load_audio, wav_duration
from bot.core.media.downloads import check_link, download
from tests.media_server import QuietHTTPServer

STRICT = config_from_dict({}).media  # the production defaults: YouTube only, no private addresses
LOOPBACK = config_from_dict(
    {"media": {"allowed_hosts": ["127.0.0.1"], "allow_private_addresses": True, "max_duration_seconds": 60}}
).media


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "only http and https"),
        ("ftp://youtube.com/x", "only http and https"),
        ("https://evil.example/watch?v=1", "not allowed here"),
        ("https://youtube.com.evil.example/watch", "not allowed here"),
        ("https://user:pw@youtube.com/watch?v=1", "user name or password"),
        ("http://127.0.0.1/x.mp3", "not allowed here"),
        ("http://2130706433/x.mp3", "not allowed here"),
        ("http://[::1]/x.mp3", "not allowed here"),
        ("https://", "no host name"),
        ("https://youtube.com:99999/x", "not a valid link"),
    ],
)
def test_links_outside_the_allowlist_are_refused(url, reason):
    with pytest.raises(MediaError, match=reason):
        check_link(url, STRICT)


def test_an_allowed_name_that_resolves_to_loopback_is_refused():
    config = config_from_dict({"media": {"allowed_hosts": ["localhost"]}}).media
    with pytest.raises(MediaError, match="private address"):
        check_link("http://localhost/clip.mp3", config)


def test_subdomains_of_allowed_hosts_pass_the_name_check():
    config = config_from_dict(
        {"media": {"allowed_hosts": ["youtube.com"], "allow_private_addresses": True}}  # no DNS look-up here
    ).media
    assert check_link("www.youtube.com/watch?v=x", config).startswith("https://www.youtube.com")


def test_yt_dlp_downloads_from_the_loopback_server(tmp_path, make_speech, media_server):
    url = media_server.publish(make_speech("Testing the download path.", suffix=".ogg"), "talk.ogg")
    stages = []
    fetched = download(url, tmp_path, LOOPBACK, lambda stage, fraction: stages.append(stage))
    assert fetched.path.exists() and fetched.path.suffix == ".ogg"
    assert "downloading" in stages
    wav = tmp_path / "out.wav"
    assert 1.0 < decode_to_wav(fetched.path, wav, LOOPBACK) < 5.0


def test_a_missing_video_is_a_clear_error(tmp_path, media_server):
    with pytest.raises(MediaError, match="unavailable"):
        download(f"{media_server.base_url}/removed-video.mp4", tmp_path, LOOPBACK)


def test_over_size_downloads_are_refused(tmp_path, make_speech, media_server):
    url = media_server.publish(
        make_speech("A file that is too large for the limit.", suffix=".wav"), "big.wav"
    )
    tiny = config_from_dict(
        {"media": {"allowed_hosts": ["127.0.0.1"], "allow_private_addresses": True, "max_size_mb": 0.01}}
    ).media
    with pytest.raises(MediaError, match="larger than"):
        download(url, tmp_path, tiny)
    assert not list(tmp_path.glob("download.*"))


def test_voice_message_ogg_opus_decodes_to_16k_mono(tmp_path, make_speech):
    ogg = make_speech("A voice message from Discord.", suffix=".ogg")
    wav = tmp_path / "voice.wav"
    duration = decode_to_wav(ogg, wav, LOOPBACK)
    samples = load_audio(wav)
    assert abs(len(samples) / 16000 - duration) < 0.01
    assert 0.05 < abs(samples).max() <= 1.0
    assert abs(len(load_audio(wav, 0.5, 1.0)) - 8000) <= 1


def test_bad_files_give_clear_errors_and_leave_nothing(tmp_path):
    empty = tmp_path / "empty.ogg"
    empty.write_bytes(b"")
    text = tmp_path / "notes.mp3"
    text.write_text("not audio at all " * 100)
    out = tmp_path / "out.wav"
    for path, reason in [
        (empty, "empty"),
        (text, "not an audio or video file"),
        (tmp_path / "missing.wav", "does not exist"),
        (tmp_path, "is a folder"),
    ]:
        with pytest.raises(MediaError, match=reason):
            decode_to_wav(path, out, LOOPBACK)
    assert list(tmp_path.glob("out.wav*")) == []


def test_too_long_media_is_refused_before_decoding(tmp_path):
    long_silence = tmp_path / "long.wav"
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", str(long_silence), "trim", "0", "61"], check=True)
    with pytest.raises(MediaError, match="1.0 minutes long; the limit is 1.0 minutes"):
        decode_to_wav(long_silence, tmp_path / "out.wav", LOOPBACK)


def test_zero_length_audio_is_refused(tmp_path):
    silent = tmp_path / "zero.wav"
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", str(silent), "trim", "0", "0"], check=True)
    with pytest.raises(MediaError):
        decode_to_wav(silent, tmp_path / "out.wav", LOOPBACK)


def test_decoded_duration_matches_the_source(tmp_path, make_speech):
    wav = tmp_path / "out.wav"
    source = make_speech("One two three four five.")
    assert abs(decode_to_wav(source, wav, LOOPBACK) - wav_duration(source)) < 0.05


# --- link safety: redirects, private addresses, stalls --------------------------------------------------


class _TrickyServer:
    """A loopback host that redirects elsewhere, stalls or trickles mid-download, as hostile links would."""

    def __init__(self, media: bytes) -> None:
        import http.server
        import threading

        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path.startswith("/redirect"):
                    self.send_response(302)
                    self.send_header("Location", f"http://localhost:{outer.port}/clip.ogg")
                    self.end_headers()
                elif self.path.startswith("/stall"):
                    self.send_response(200)
                    self.send_header("Content-Type", "audio/ogg")
                    self.send_header("Content-Length", str(len(media) * 100))
                    self.end_headers()
                    self.wfile.write(media[:1000])
                    self.wfile.flush()
                    outer.release.wait(30)
                elif self.path.startswith("/trickle"):  # a byte every 0.2 s: never silent long enough
                    self.send_response(200)
                    self.send_header("Content-Type", "audio/ogg")
                    self.send_header("Content-Length", str(len(media)))
                    self.end_headers()
                    for byte in media:
                        if outer.release.wait(0.2):
                            break
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                else:
                    self.send_response(200)
                    self.send_header("Content-Type", "audio/ogg")
                    self.send_header("Content-Length", str(len(media)))
                    self.end_headers()
                    self.wfile.write(media)

            do_HEAD = do_GET

        self.release = threading.Event()
        self.httpd = QuietHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def tricky(make_speech):
    server = _TrickyServer(make_speech("A clip behind a redirect.", suffix=".ogg").read_bytes())
    yield server
    server.close()


def test_a_redirect_to_a_host_off_the_allowlist_is_refused(tmp_path, tricky):
    with pytest.raises(MediaError, match="redirects to localhost"):
        download(f"http://127.0.0.1:{tricky.port}/redirect", tmp_path, LOOPBACK)
    assert not list(tmp_path.glob("download.*"))


def test_connections_to_private_addresses_are_refused_during_downloads(tricky):
    """The guard behind check_link: even a redirect or a changed DNS answer cannot reach a private address."""
    from yt_dlp.networking import _urllib

    from bot.core.media import net_guard

    net_guard.guard_connections()
    net_guard.download_policy.refuse_private = True
    try:
        with pytest.raises(net_guard.RefusedAddressError):
            _urllib.create_connection(("127.0.0.1", tricky.port), timeout=2)
    finally:
        net_guard.download_policy.refuse_private = False
    _urllib.create_connection(("127.0.0.1", tricky.port), timeout=2).close()  # allowed outside a download


@pytest.mark.parametrize("path", ["stall.ogg", "trickle.ogg"])
def test_a_stalled_download_times_out_with_a_clear_error(tmp_path, tricky, path):
    """Silent for good, or a byte at a time (which no socket timeout catches): cut off at the timeout."""
    import time

    impatient = config_from_dict(
        {
            "media": {
                "allowed_hosts": ["127.0.0.1"],
                "allow_private_addresses": True,
                "download_timeout_seconds": 2,
            }
        }
    ).media
    started = time.monotonic()
    with pytest.raises(MediaError, match="stopped answering|took longer"):
        download(f"http://127.0.0.1:{tricky.port}/{path}", tmp_path, impatient)
    assert time.monotonic() - started < 2 + 1.5
    assert not [p for p in tmp_path.glob("download.*") if not p.name.endswith(".part")]


@pytest.mark.parametrize(
    ("info", "reason"),
    [
        ({"_type": "playlist", "entries": []}, "playlists are not captioned"),
        ({"is_live": True}, "live streams"),
        ({"live_status": "is_upcoming"}, "live streams"),
        ({"duration": 7200}, "120.0 minutes long"),
        ({"filesize_approx": 10**12}, "larger than"),
    ],
)
def test_what_the_host_reports_is_checked_before_downloading(info, reason):
    from bot.core.media.downloads import _check_info

    with pytest.raises(MediaError, match=reason):
        _check_info(info, LOOPBACK)
