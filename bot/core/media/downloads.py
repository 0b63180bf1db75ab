"""Links in: checked against the allowlist and private addresses, then fetched with yt-dlp.

Every limit is checked as early as the information exists: the link before any request, the reported
duration and size before the download. Decoding what was fetched is bot.core.media.audio's work, kept apart so
that the trainer, which only reads stored audio, never depends on link handling. What holds every connection
of a download to the same checks (the socket guards, the deadline, bounded decoding) is in net_guard.py; this
module is the yt-dlp flow that turns them on for its thread.
"""

from __future__ import annotations

import functools
import logging
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.core.config import MediaConfig
from bot.core.errors import MediaError
from bot.core.media.audio import too_big_error, too_long_error
from bot.core.media.net_guard import (
    Deadline,
    DownloadTimeUpError,
    RefusedAddressError,
    download_policy,
    guard_connections,
    refuse_private_addresses,
)

__all__ = [
    "DownloadTimeUpError",  # raised by the network guards (net_guard.py), importable here as before the split
    "Fetched",
    "Progress",
    "RefusedAddressError",
    "allowed_extractors",
    "check_link",
    "download",
    "fetch",
    "is_link",
]

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
        refuse_private_addresses(host)
    return url


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
    timeout = f"{config.download_timeout_seconds:g}"

    def too_slow() -> MediaError:
        message = f"the download took longer than {timeout} s; try again"
        return MediaError(message, key="media.too_slow", values={"seconds": timeout})

    def too_big() -> MediaError:
        return too_big_error(config)

    def hook(status: dict[str, Any]) -> None:
        if time.monotonic() - started > config.download_timeout_seconds:
            raise too_slow()
        # max_filesize is checked against Content-Length only; a host that sends none is stopped here, by
        # the bytes written (at most one block of _BLOCK_BYTES past the limit)
        if (status.get("downloaded_bytes") or 0) > max_bytes:
            raise too_big()
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
    guard_connections()
    download_policy.refuse_private = not config.allow_private_addresses
    download_policy.max_bytes = max_bytes
    deadline = Deadline(config.download_timeout_seconds)
    download_policy.deadline = deadline
    download_policy.active = True
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
            raise too_slow() from None
        raise _explain_download_error(exc) from None
    finally:
        download_policy.active = False
        download_policy.refuse_private = False
        download_policy.deadline = None
        download_policy.max_bytes = None
    if deadline.expired.is_set():  # cut off, yet yt-dlp took the end for the whole (no length was sent)
        raise too_slow()
    files = sorted(p for p in dest_dir.glob("download.*") if not p.name.endswith((".part", ".ytdl")))
    if not files:
        raise too_big()
    return Fetched(path=files[0], source=url, title=str(info.get("title") or url)[:200])


def _remove_partial(dest_dir: Path) -> None:
    """A refused download leaves nothing behind, not even yt-dlp's .part file."""
    for path in dest_dir.glob("download.*"):
        path.unlink(missing_ok=True)


REMOTE_TEXT_LIMIT = 300  # characters of one yt-dlp message kept in the log
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


def clean_remote_text(text: str, limit: int = REMOTE_TEXT_LIMIT) -> str:
    """A yt-dlp message as one bounded log line. It quotes what remote sites send (titles, manifest
    attributes, error reasons), so: terminal escapes removed, control and format characters (new lines,
    bidirectional overrides) made visible as U+FFFD, and at most `limit` characters with the rest counted.
    Why: a new line would forge a log record, an escape sequence would drive an operator's terminal, and a
    megabyte of text per message would fill the disk."""
    text = _ANSI.sub("", str(text))
    cleaned = "".join(
        "\ufffd" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c != " " else c for c in text
    )
    if len(cleaned) > limit:
        cleaned = f"{cleaned[:limit]}… ({len(cleaned) - limit} more characters)"
    return cleaned


class _YtDlpLog:
    """yt-dlp's messages in our log instead of the terminal, each made one bounded line (clean_remote_text)
    and passed as an argument, never as the format string.

    Warnings are kept at WARNING ("some formats may be missing" is how a missing JavaScript runtime shows);
    errors reach us as exceptions and are explained to the user, so they and the chatter go to DEBUG.
    """

    def debug(self, msg: str) -> None:
        if log.isEnabledFor(logging.DEBUG):  # the chatter is many lines; clean only what is kept
            log.debug("yt-dlp: %s", clean_remote_text(msg))

    info = error = debug

    def warning(self, msg: str) -> None:
        log.warning("yt-dlp: %s", clean_remote_text(msg))


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
        raise _keyed("media.playlist", "playlists are not captioned; link a single video")
    if info.get("is_live") or info.get("live_status") in ("is_live", "is_upcoming"):
        raise _keyed(
            "media.live", "live streams cannot be captioned; try again when the recording is available"
        )
    duration = info.get("duration")
    if duration and duration > config.max_duration_seconds:
        raise too_long_error(duration, config)
    size = info.get("filesize") or info.get("filesize_approx")
    if size and size > config.max_size_mb * 1024 * 1024:
        raise too_big_error(config)


def _keyed(key: str, message: str) -> MediaError:
    """A fixed refusal that names its entry in the Discord layer's catalog (shown in the member's language)."""
    return MediaError(message, key=key)


def _explain_download_error(exc: Exception) -> MediaError:
    text = str(exc).replace("ERROR: ", "").strip().splitlines()[0] if str(exc).strip() else "unknown error"
    lowered = text.lower()
    if "redirect to" in lowered and "refused" in lowered:
        scheme = lowered.split("redirect to ", 1)[1].split(":", 1)[0]
        return MediaError(f"the link's redirect to {scheme}: refused; only http and https links are followed")
    if "requested format is not available" in lowered:
        return _keyed(
            "media.stream_only",
            "the media is only offered as a stream (HLS or DASH), which is not downloaded; link a plain file",
        )
    if "a private address" in lowered:
        return _keyed("media.private_address", "the link leads to a private address; such links are refused")
    if "timed out" in lowered:
        return _keyed("media.host_silent", "the media host stopped answering; try again later")
    if "private" in lowered:
        return _keyed("media.private_video", "the video is private; only public videos can be captioned")
    if any(word in lowered for word in ("unavailable", "removed", "404", "not found", "does not exist")):
        return _keyed("media.unavailable", "the video is unavailable (removed, private or a wrong link)")
    if "unsupported url" in lowered:
        return _keyed("media.no_video", "no video was found at that link")
    return MediaError(f"the link could not be downloaded: {text[:200]}")


def fetch(source: str, work_dir: Path, config: MediaConfig, progress: Progress | None = None) -> Fetched:
    """A link is downloaded into work_dir; a path is used where it is."""
    if is_link(source):
        return download(source, work_dir, config, progress)
    path = Path(source).expanduser()
    if not path.exists():
        raise MediaError(f"{source} does not exist")
    return Fetched(path=path, source=str(path), title=path.name)
