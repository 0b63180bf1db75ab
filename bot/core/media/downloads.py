"""Links in: checked against the allowlist and private addresses, then fetched with yt-dlp.

Every limit is checked as early as the information exists: the link before any request, the reported
duration and size before the download. Decoding what was fetched is bot.core.media.audio's work, kept apart so that
the trainer, which only reads stored audio, never depends on link handling.
"""

from __future__ import annotations

import contextlib
import functools
import io
import ipaddress
import logging
import re
import socket
import sys
import threading
import time
import urllib.error
import urllib.response
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.core.config import MediaConfig
from bot.core.errors import MediaError
from bot.core.media.audio import too_long_message

Progress = Callable[[str, float | None], None]
log = logging.getLogger("bot.core.media.downloads")


@dataclass(frozen=True)
class Fetched:
    """A local media file ready to decode, with what we know of where it came from."""

    path: Path
    source: str
    title: str


def is_link(source: str) -> bool:
    return "://" in source or source.startswith("www.")


# --- links ---------------------------------------------------------------------------------------------


def _host_allowed(host: str, allowed: list[str]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == entry.lower() or host.endswith("." + entry.lower()) for entry in allowed)


def check_link(url: str, config: MediaConfig) -> str:
    """Refuse links we must not fetch (SSRF and the allowlist); returns the normalised URL."""
    if url.startswith("www."):
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise MediaError(f"'{url[:100]}' is not a valid link") from None
    if parts.scheme not in ("http", "https"):
        raise MediaError(f"only http and https links can be captioned (got '{parts.scheme}:')")
    if parts.username is not None or parts.password is not None:
        raise MediaError("links with a user name or password are not accepted")
    if not host:
        raise MediaError(f"'{url[:100]}' has no host name")
    if not _host_allowed(host, config.allowed_hosts):
        raise MediaError(
            f"links to {host} are not allowed here; allowed hosts: {', '.join(config.allowed_hosts)}"
        )
    if not config.allow_private_addresses:
        _refuse_private_addresses(host)
    return url


def _refuse_private_addresses(host: str) -> None:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise MediaError(f"the host {host} could not be found; check the link") from None
    for info in infos:
        if not _is_public(str(info[4][0])):
            raise MediaError(f"the host {host} points to a private address; such links are refused")


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _is_public(address: str) -> bool:
    """Global, judged for the IPv4 address inside when the IPv6 one only carries it.

    NAT64 (64:ff9b::/96), 6to4 (2002::/16) and IPv4-mapped addresses reach the IPv4 address they embed, so
    64:ff9b::7f00:1 is 127.0.0.1 to a network that translates; Python calls the first two global.
    """
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF).is_global
        embedded = ip.sixtofour or ip.ipv4_mapped
        if embedded is not None:
            return embedded.is_global
    return ip.is_global


# --- every connection yt-dlp makes during one of our downloads is checked -------------------------------
# The link check above sees only the first host. Redirects, the pages an extractor fetches and the media
# URL it finds could still point inside the network (or a DNS name could change its answer), so while a
# download runs in this thread, each connection is resolved, checked and made to the checked address.

_download_policy = threading.local()


class RefusedAddressError(OSError):
    """A connection to a private address was refused during a download."""


class DownloadTimeUpError(OSError):
    """A connection was refused because the download's time is up."""


class _Deadline:
    """The download timeout, enforced on the download's connections.

    yt-dlp's socket timeout bounds a host that stops sending; a host that trickles a byte at a time never
    trips it, and the progress hook is not called until a whole block has arrived. So when the time is up,
    every connection the download opened is shut down (a blocked read returns at once) and no new one is
    opened (the retry).
    """

    def __init__(self, seconds: float) -> None:
        self.expired = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def opened(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired.is_set():
                sock.close()
                raise DownloadTimeUpError("the download's time is up")
            self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired.set()
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _guard_connections() -> None:
    from yt_dlp.networking import _urllib

    original = _urllib.create_connection
    if getattr(original, "caption_bot_guard", False):
        return

    def guarded(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        if getattr(_download_policy, "refuse_private", False):
            host, port = address
            infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
            public = [info for info in infos if _is_public(str(info[4][0]))]
            if len(public) != len(infos) or not public:
                raise RefusedAddressError(f"refused to connect to {host}: a private address")
            address = (str(public[0][4][0]), port)
        sock = original(address, *args, **kwargs)
        deadline = getattr(_download_policy, "deadline", None)
        if deadline is not None:
            deadline.opened(sock)
        return sock

    guarded.__dict__["caption_bot_guard"] = True  # the marker getattr() looks for above
    _urllib.create_connection = guarded
    _refuse_redirects_to_other_schemes(_urllib.RedirectHandler)
    _bounded_decoding(_urllib.HTTPHandler)
    _install_socket_audit()


def _refuse_redirects_to_other_schemes(handler: Any) -> None:
    """urllib follows a redirect to ftp: through ftplib, which the connection guard above never sees."""
    import urllib.error

    original = handler.redirect_request

    def checked(self: Any, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        scheme = urlsplit(newurl).scheme.lower()
        if scheme not in ("http", "https"):
            raise urllib.error.URLError(f"redirect to {scheme}: refused; only http and https are followed")
        return original(self, req, fp, code, msg, headers, newurl)

    handler.redirect_request = checked


# --- only the allowed sites' extractors, and only http(s), at every stage -----------------------------------
# The link check sees the link; an extractor may hand on another URL (YouTube's consent redirect passes its
# `continue=` parameter, any URL, to whichever extractor takes it), and urllib would open ftp: through ftplib,
# past the connection guard. So yt-dlp is given only the extractors of the allowed sites, every URL it is
# asked to extract must pass the link check (scheme and host), every request it makes must be http(s), and
# every socket the download thread opens is checked and bound to the deadline (an audit hook sees them all).

# extractors that name an allowed host but hand the link on to anything else: never enabled
_NEVER = frozenset({"youtube:consent", "web.archive:youtube"})
# the generic extractor and the embed finders it runs on a page (a <video> tag, quoted HTML)
_GENERIC = ("generic", "html5", "generic:quoted-html")
# a response may be compressed at most this many times over; more is a decompression bomb, not a page
_MAX_ENCODINGS = 2


@functools.lru_cache(maxsize=8)
def allowed_extractors(allowed_hosts: tuple[str, ...]) -> tuple[str, ...]:
    """yt-dlp's names of the extractors for the allowed hosts, as `allowed_extractors` patterns.

    An extractor is the site's when its URL pattern names one of the hosts; the generic extractor (a direct
    file link, a page with a media tag) only when some allowed host has no site extractor of its own.
    """
    from yt_dlp.extractor import gen_extractor_classes

    names: list[str] = []
    covered: set[str] = set()
    for ie in gen_extractor_classes():
        pattern = getattr(ie, "_VALID_URL", None)
        name = str(ie.IE_NAME).lower()
        if not isinstance(pattern, str) or name in _NEVER or name in _GENERIC:
            continue
        named = [host for host in allowed_hosts if re.escape(host.lower()) in pattern.lower()]
        if named:
            names.append(name)
            covered.update(named)
    if any(host not in covered for host in allowed_hosts):
        names += _GENERIC
    return tuple(f"^{re.escape(name)}$" for name in names)


def _plain_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise MediaError(f"only http and https links can be captioned (got '{scheme}:')")


def _guarded_downloader(config: MediaConfig) -> type:
    """yt-dlp's YoutubeDL, refusing at every stage what the link check would refuse."""
    import yt_dlp
    from yt_dlp.networking.common import Request

    class GuardedYoutubeDL(yt_dlp.YoutubeDL):
        handed_on = False

        def extract_info(self, url: str, *args: Any, **kwargs: Any) -> Any:
            # the user's link was checked; a URL an extractor hands on (a redirect, an embed) is checked again
            if self.handed_on:
                _plain_scheme(url)
                host = urlsplit(url).hostname or ""
                if not _host_allowed(host, config.allowed_hosts):
                    raise MediaError(f"the link redirects to {host}, which is not an allowed host")
                check_link(url, config)
            self.handed_on = True
            return super().extract_info(url, *args, **kwargs)

        def urlopen(self, req: Any) -> Any:
            _plain_scheme(req if isinstance(req, str) else req.url if isinstance(req, Request) else "")
            return super().urlopen(req)

    return GuardedYoutubeDL


def _audit_sockets(event: str, args: tuple[Any, ...]) -> None:
    """Every socket a download thread connects, whoever opens it (ftplib, a library's own client)."""
    if event != "socket.connect" or not getattr(_download_policy, "active", False):
        return
    sock, address = args
    if isinstance(address, tuple) and getattr(_download_policy, "refuse_private", False):
        if not _is_public(str(address[0])):
            raise RefusedAddressError(f"refused to connect to {address[0]}: a private address")
    elif not isinstance(address, tuple):  # a Unix socket or another family: never what a link needs
        raise RefusedAddressError("refused a non-network connection during a download")
    deadline = getattr(_download_policy, "deadline", None)
    if deadline is not None:
        deadline.opened(sock)


_audit_installed = threading.Lock()
_audit_state: list[bool] = []


def _install_socket_audit() -> None:
    with _audit_installed:
        if not _audit_state:
            sys.addaudithook(_audit_sockets)
            _audit_state.append(True)


def _bounded_decoding(handler: Any) -> None:
    """urllib's response decoding, bounded: at most _MAX_ENCODINGS layers and the media size limit each."""
    if getattr(handler.http_response, "caption_bot_guard", False):
        return

    def inflate(data: bytes, wbits: int, limit: int) -> bytes:
        decoder = zlib.decompressobj(wbits=wbits)
        out = decoder.decompress(data, limit + 1)
        if len(out) > limit:
            raise urllib.error.URLError("the response decompresses past the size limit; refused")
        return out

    def bounded(self: Any, req: Any, resp: Any) -> Any:
        encodings = [e.strip() for e in resp.headers.get("Content-encoding", "").split(",") if e.strip()]
        encodings = [e for e in encodings if e != "identity"]
        if not encodings:
            return resp
        if len(encodings) > _MAX_ENCODINGS or any(e not in ("gzip", "deflate") for e in encodings):
            raise urllib.error.URLError(f"a response encoded as {', '.join(encodings)[:80]} is refused")
        limit = getattr(_download_policy, "max_bytes", None) or _DEFAULT_DECODED_LIMIT
        data = resp.read(limit + 1)
        if len(data) > limit:
            raise urllib.error.URLError("the compressed response is past the size limit; refused")
        for encoding in reversed(encodings):
            if encoding == "gzip":
                data = inflate(data, zlib.MAX_WBITS | 16, limit)
            else:
                try:
                    data = inflate(data, -zlib.MAX_WBITS, limit)
                except zlib.error:
                    data = inflate(data, zlib.MAX_WBITS, limit)
        decoded: Any = urllib.response.addinfourl(io.BytesIO(data), resp.headers, resp.url, resp.code)
        decoded.msg = resp.msg
        return decoded

    bounded.__dict__["caption_bot_guard"] = True
    handler.http_response = bounded
    handler.https_response = bounded


_DEFAULT_DECODED_LIMIT = 64 * 1024 * 1024


def _check_final_hosts(info: dict[str, Any], config: MediaConfig) -> None:
    """After redirects, the page (and, for a direct file link, the file) must still be on an allowed host."""
    urls = [info.get("webpage_url")]
    if info.get("extractor_key") == "Generic":
        urls.append(info.get("url"))
    for url in filter(None, urls):
        host = urlsplit(url).hostname or ""
        if not _host_allowed(host, config.allowed_hosts):
            raise MediaError(f"the link redirects to {host}, which is not an allowed host")


_PLAIN = "^https?$"
_BLOCK_BYTES = 64 * 1024  # the progress hook runs once a block: the size limit's overshoot is one block


def download(url: str, dest_dir: Path, config: MediaConfig, progress: Progress | None = None) -> Fetched:
    """Fetch the audio of one video with yt-dlp, refusing playlists, live streams and over-limit media."""
    import yt_dlp  # imported here: only link captions need it, and it is slow to import

    url = check_link(url, config)
    max_bytes = int(config.max_size_mb * 1024 * 1024)
    started = time.monotonic()
    too_slow = f"the download took longer than {config.download_timeout_seconds:g} s; try again"
    too_big = f"the media is larger than the {config.max_size_mb:g} MB limit"

    def hook(status: dict[str, Any]) -> None:
        if time.monotonic() - started > config.download_timeout_seconds:
            raise MediaError(too_slow)
        # max_filesize is checked against Content-Length only; a host that sends none is stopped here, by
        # the bytes written (at most one block of _BLOCK_BYTES past the limit)
        if (status.get("downloaded_bytes") or 0) > max_bytes:
            raise MediaError(too_big)
        total = status.get("total_bytes") or status.get("total_bytes_estimate")
        if progress and status.get("status") == "downloading" and total:
            progress("downloading", min(1.0, status.get("downloaded_bytes", 0) / total))

    options = {
        # plain http(s) files only: an HLS or DASH format is handed to ffmpeg (a SAMPLE-AES key does it),
        # which fetches on its own, past the address guard and the deadline
        "format": f"bestaudio[protocol~='{_PLAIN}']/best[protocol~='{_PLAIN}']",
        # environment proxies would make the guard check only the proxy's address
        "proxy": "",
        "noplaylist": True,
        # a playlist's entries are left as links, not resolved one request each, so it is refused at once
        "extract_flat": "in_playlist",
        "outtmpl": str(dest_dir / "download.%(ext)s"),
        "quiet": True,
        "noprogress": True,
        "max_filesize": max_bytes,
        "buffersize": _BLOCK_BYTES,
        "noresizebuffer": True,
        # a host that stops answering at every step (the page, the first try, the retry) is given up within
        # the download timeout; one that keeps trickling is cut off by the deadline below
        "socket_timeout": min(30.0, config.download_timeout_seconds / 3),
        "retries": 1,
        "extractor_retries": 0,
        "cachedir": False,
        "progress_hooks": [hook],
        "logger": _YtDlpLog(),
        "js_runtimes": _js_runtimes(),
        # the address guard and the deadline watch the urllib handler's connections; yt-dlp would prefer
        # its requests or curl_cffi handler if one of those packages were ever installed
        "compat_opts": {"prefer-legacy-http-handler"},
        # only the allowed sites' extractors (never YouTube's consent redirect, which hands on any URL)
        "allowed_extractors": list(allowed_extractors(tuple(config.allowed_hosts))),
    }
    _guard_connections()
    _download_policy.refuse_private = not config.allow_private_addresses
    _download_policy.max_bytes = max_bytes
    deadline = _Deadline(config.download_timeout_seconds)
    _download_policy.deadline = deadline
    _download_policy.active = True
    try:
        with deadline, _guarded_downloader(config)(options) as ydl:
            info = ydl.extract_info(url, download=False)
            _check_final_hosts(info, config)
            _check_info(info, config)
            if progress:
                progress("downloading", 0.0)
            info = ydl.process_ie_result(info, download=True)
    except MediaError:
        _remove_partial(dest_dir)
        raise
    except yt_dlp.utils.YoutubeDLError as exc:
        _remove_partial(dest_dir)
        if deadline.expired.is_set():
            raise MediaError(too_slow) from None
        raise _explain_download_error(exc) from None
    finally:
        _download_policy.active = False
        _download_policy.refuse_private = False
        _download_policy.deadline = None
        _download_policy.max_bytes = None
    if deadline.expired.is_set():  # cut off, yet yt-dlp took the end for the whole (no length was sent)
        raise MediaError(too_slow)
    files = sorted(p for p in dest_dir.glob("download.*") if not p.name.endswith((".part", ".ytdl")))
    if not files:
        raise MediaError(too_big)
    return Fetched(path=files[0], source=url, title=str(info.get("title") or url)[:200])


def _remove_partial(dest_dir: Path) -> None:
    """A refused download leaves nothing behind, not even yt-dlp's .part file."""
    for path in dest_dir.glob("download.*"):
        path.unlink(missing_ok=True)


class _YtDlpLog:
    """yt-dlp's messages in our log instead of the terminal.

    Warnings are kept at WARNING ("some formats may be missing" is how a missing JavaScript runtime shows);
    errors reach us as exceptions and are explained to the user, so they and the chatter go to DEBUG.
    """

    def debug(self, msg: str) -> None:
        log.debug("yt-dlp: %s", msg)

    info = error = debug

    def warning(self, msg: str) -> None:
        log.warning("yt-dlp: %s", msg)


def _js_runtimes() -> dict[str, dict[str, str]]:
    """Deno runs yt-dlp-ejs, which solves YouTube's signature challenges (without it formats go missing).

    Both come from PyPI (pyproject.toml): the deno package puts its binary beside the venv's python, which
    is not on PATH unless the venv is activated, so yt-dlp is given its path.
    """
    try:
        from deno import find_deno_bin

        return {"deno": {"path": find_deno_bin()}}
    except (ImportError, FileNotFoundError):
        return {"deno": {}}  # yt-dlp looks for deno on PATH


def _check_info(info: dict[str, Any], config: MediaConfig) -> None:
    if info.get("_type") in ("playlist", "multi_video") or info.get("entries") is not None:
        raise MediaError("playlists are not captioned; link a single video")
    if info.get("is_live") or info.get("live_status") in ("is_live", "is_upcoming"):
        raise MediaError("live streams cannot be captioned; try again when the recording is available")
    duration = info.get("duration")
    if duration and duration > config.max_duration_seconds:
        raise MediaError(too_long_message(duration, config))
    size = info.get("filesize") or info.get("filesize_approx")
    if size and size > config.max_size_mb * 1024 * 1024:
        raise MediaError(f"the media is larger than the {config.max_size_mb:g} MB limit")


def _explain_download_error(exc: Exception) -> MediaError:
    text = str(exc).replace("ERROR: ", "").strip().splitlines()[0] if str(exc).strip() else "unknown error"
    lowered = text.lower()
    if "redirect to" in lowered and "refused" in lowered:
        scheme = lowered.split("redirect to ", 1)[1].split(":", 1)[0]
        return MediaError(f"the link's redirect to {scheme}: refused; only http and https links are followed")
    if "requested format is not available" in lowered:
        return MediaError(
            "the media is only offered as a stream (HLS or DASH), which is not downloaded; link a plain file"
        )
    if "a private address" in lowered:
        return MediaError("the link leads to a private address; such links are refused")
    if "timed out" in lowered:
        return MediaError("the media host stopped answering; try again later")
    if "private" in lowered:
        return MediaError("the video is private; only public videos can be captioned")
    if any(word in lowered for word in ("unavailable", "removed", "404", "not found", "does not exist")):
        return MediaError("the video is unavailable (removed, private or a wrong link)")
    if "unsupported url" in lowered:
        return MediaError("no video was found at that link")
    return MediaError(f"the link could not be downloaded: {text[:200]}")


def fetch(source: str, work_dir: Path, config: MediaConfig, progress: Progress | None = None) -> Fetched:
    """A link is downloaded into work_dir; a path is used where it is."""
    if is_link(source):
        return download(source, work_dir, config, progress)
    path = Path(source).expanduser()
    if not path.exists():
        raise MediaError(f"{source} does not exist")
    return Fetched(path=path, source=str(path), title=path.name)
