"""The network guards of a link download: every socket it opens, and every response it decodes.

The link check (bot.core.media.downloads.check_link) sees only the first host. Redirects, the pages an
extractor fetches and the media URL it finds could still point inside the network, a DNS name could change
its answer, and urllib would follow a redirect to ftp: through ftplib, past yt-dlp's connection function. So
while a download runs in a thread, that thread's connections are held to its policy here: yt-dlp's are
resolved, checked and made to the checked address, an audit hook checks every other socket the thread
connects, each socket is bound to the download's deadline, and compressed responses are decoded within a
bound. Kept apart from the yt-dlp flow in downloads.py because this part must hold whatever an extractor does,
and it is tested on its own, socket by socket.
"""

from __future__ import annotations

import contextlib
import io
import ipaddress
import socket
import sys
import threading
import urllib.error
import urllib.response
import zlib
from typing import Any
from urllib.parse import urlsplit

from bot.core.errors import MediaError

# a response may be compressed at most this many times over; more is a decompression bomb, not a page
_MAX_ENCODINGS = 2


def refuse_private_addresses(host: str) -> None:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise MediaError(
            f"the host {host} could not be found; check the link",
            key="media.host_not_found",
            values={"host": host},
        ) from None
    for info in infos:
        if not is_public(str(info[4][0])):
            raise MediaError(f"the host {host} points to a private address; such links are refused")


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_public(address: str) -> bool:
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
# The link check (downloads.check_link) sees only the first host. Redirects, the pages an extractor fetches
# and the media URL it finds could still point inside the network (or a DNS name could change its answer), so
# while a download runs in this thread, each connection is resolved, checked and made to the checked address.

# What downloads.download sets for its own thread and clears when it ends: active (the audit hook applies),
# refuse_private, deadline (a Deadline) and max_bytes (the bound on a decoded response). Other threads, and
# this one outside a download, see none of them and are left alone.
download_policy = threading.local()


class RefusedAddressError(OSError):
    """A connection to a private address was refused during a download."""


class DownloadTimeUpError(OSError):
    """A connection was refused because the download's time is up."""


class Deadline:
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

    def __enter__(self) -> Deadline:
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


def guard_connections() -> None:
    from yt_dlp.networking import _urllib

    original = _urllib.create_connection
    if getattr(original, "caption_bot_guard", False):
        return

    def guarded(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        if getattr(download_policy, "refuse_private", False):
            host, port = address
            infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
            public = [info for info in infos if is_public(str(info[4][0]))]
            if len(public) != len(infos) or not public:
                raise RefusedAddressError(f"refused to connect to {host}: a private address")
            address = (str(public[0][4][0]), port)
        sock = original(address, *args, **kwargs)
        deadline = getattr(download_policy, "deadline", None)
        if deadline is not None:
            deadline.opened(sock)
        return sock

    guarded.__dict__["caption_bot_guard"] = True  # the marker getattr() looks for above
    _urllib.create_connection = guarded
    _refuse_redirects_to_other_schemes(_urllib.RedirectHandler)
    _bounded_decoding(_urllib.HTTPHandler)
    install_socket_audit()


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


def _audit_sockets(event: str, args: tuple[Any, ...]) -> None:
    """Every socket a download thread connects, whoever opens it (ftplib, a library's own client)."""
    if event != "socket.connect" or not getattr(download_policy, "active", False):
        return
    sock, address = args
    if isinstance(address, tuple) and getattr(download_policy, "refuse_private", False):
        if not is_public(str(address[0])):
            raise RefusedAddressError(f"refused to connect to {address[0]}: a private address")
    elif not isinstance(address, tuple):  # a Unix socket or another family: never what a link needs
        raise RefusedAddressError("refused a non-network connection during a download")
    deadline = getattr(download_policy, "deadline", None)
    if deadline is not None:
        deadline.opened(sock)


_audit_installed = threading.Lock()
_audit_state: list[bool] = []


def install_socket_audit() -> None:
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
        limit = getattr(download_policy, "max_bytes", None) or _DEFAULT_DECODED_LIMIT
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
