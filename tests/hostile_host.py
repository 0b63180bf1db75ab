"""Loopback hosts that behave as a hostile media host would, for the link-safety tests.

`HostileHost` is the host a link points to: it logs every request and serves the tricks of the security
review (an HLS playlist with a SAMPLE-AES key, a redirect to ftp:, a stream without Content-Length, a long
playlist feed). `InsideListener` stands for an address inside the network: it only counts the connections
that reach it, so a test can assert that none did.
"""

from __future__ import annotations

import gzip
import http.server
import socketserver
import threading
from typing import Any

from tests.media_server import QuietHTTPServer

CHUNK = 64 * 1024
BOMB_BYTES = 16 * 1024 * 1024  # what the bomb routes inflate to


class InsideListener:
    """A TCP port that counts connections and never answers (as an internal service that stalls would)."""

    def __init__(self) -> None:
        self.connections = 0
        self.release = threading.Event()
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                outer.connections += 1
                outer.release.wait(30)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


class HostileHost:
    """A loopback media host with the review's tricks; `requests` lists every path asked for."""

    def __init__(self, media: bytes, inside: InsideListener, feed_entries: int = 300) -> None:
        self.media = media
        self.inside = inside
        self.feed_entries = feed_entries
        self.requests: list[str] = []
        self.bytes_sent = 0
        self.release = threading.Event()
        self.httpd = QuietHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                outer.requests.append(self.path)
                route = self.path.split("?")[0].lstrip("/").split(".")[0]
                getattr(outer, f"_serve_{route.replace('-', '_')}", outer._serve_media)(self)

            do_HEAD = do_GET

        return Handler

    def _send(self, handler: Any, body: bytes, content_type: str) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if handler.command == "GET":
            handler.wfile.write(body)

    def _serve_media(self, handler: Any) -> None:
        self._send(handler, self.media, "audio/ogg")

    def _serve_page(self, handler: Any) -> None:
        """A web page with a <video> tag: yt-dlp's generic extractor warns that it falls back on itself."""
        page = '<html><head><title>A page</title></head><body><video src="/clip.ogg"></video></body></html>'
        self._send(handler, page.encode(), "text/html")

    # A remote attribute yt-dlp quotes in a warning ("Unknown MIME type … in DASH manifest"): a forged log line
    # after a new line, a right-to-left override, and 5,000 characters.
    FORGED_LOG_LINE = "2026-01-01 00:00:00 ERROR bot.core forged: token=abc"
    HOSTILE_MIME = f"evil/type&#10;{FORGED_LOG_LINE}&#x202E;gpj.exe{'x' * 5000}"

    def _serve_manifest(self, handler: Any) -> None:
        """A DASH manifest whose one representation has a MIME type yt-dlp does not know, so it warns."""
        mpd = (
            '<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" '
            'mediaPresentationDuration="PT10S"><Period><AdaptationSet>'
            f'<Representation id="1" bandwidth="1000" mimeType="{self.HOSTILE_MIME}">'
            "<BaseURL>clip.ogg</BaseURL></Representation></AdaptationSet></Period></MPD>"
        )
        self._send(handler, mpd.encode(), "application/dash+xml")

    def _serve_hls(self, handler: Any) -> None:
        """A media playlist whose key and segment live on the inside address: ffmpeg would fetch them."""
        inside = f"http://127.0.0.1:{self.inside.port}"
        playlist = (
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n"
            f'#EXT-X-KEY:METHOD=SAMPLE-AES,URI="{inside}/key.bin"\n'
            f"#EXTINF:10.0,\n{inside}/segment0.ts\n#EXT-X-ENDLIST\n"
        )
        self._send(handler, playlist.encode(), "application/vnd.apple.mpegurl")

    def _serve_redirect_ftp(self, handler: Any) -> None:
        handler.send_response(302)
        handler.send_header("Location", f"ftp://127.0.0.1:{self.inside.port}/clip.ogg")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def _serve_endless(self, handler: Any) -> None:
        """The media, then zeros forever, with no Content-Length: only the bytes counted can stop it."""
        handler.send_response(200)
        handler.send_header("Content-Type", "audio/ogg")
        handler.end_headers()
        if handler.command != "GET":
            return
        handler.close_connection = True
        block = self.media[:CHUNK].ljust(CHUNK, b"\0")
        while not self.release.is_set():
            handler.wfile.write(block)
            self.bytes_sent += len(block)
            block = bytes(CHUNK)

    def _serve_feed(self, handler: Any) -> None:
        """An RSS feed of many episodes, each a media file on this host."""
        items = "".join(
            f"<item><title>Episode {i}</title><guid>ep{i}</guid>"
            f'<enclosure url="{self.base_url}/episode{i}.ogg" type="audio/ogg" length="{len(self.media)}"/>'
            "</item>"
            for i in range(self.feed_entries)
        )
        feed = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>'
            f"<link>{self.base_url}/</link>{items}</channel></rss>"
        )
        self._send(handler, feed.encode(), "application/rss+xml")

    def _serve_refresh_ftp(self, handler: Any) -> None:
        """A page that sends the browser on to ftp: on the inside address (yt-dlp's generic extractor follows)."""
        target = f"ftp://127.0.0.1:{self.inside.port}/clip.ogg"
        page = f'<html><head><meta http-equiv="refresh" content="0;url={target}"></head><body></body></html>'
        self._send(handler, page.encode(), "text/html")

    def _send_encoded(self, handler: Any, body: bytes, layers: int) -> None:
        for _ in range(layers):
            body = gzip.compress(body, compresslevel=9)
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Encoding", ", ".join(["gzip"] * layers))
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if handler.command == "GET":
            handler.wfile.write(body)

    def _serve_gzip_page(self, handler: Any) -> None:
        """The page with a <video> tag, gzipped once, as ordinary hosts send it."""
        page = '<html><head><title>A page</title></head><body><video src="/clip.ogg"></video></body></html>'
        self._send_encoded(handler, page.encode(), 1)

    def _serve_stacked(self, handler: Any) -> None:
        """A page gzipped three times over: each layer multiplies what a whole-body decoder holds."""
        self._send_encoded(handler, b"<html>" + bytes(BOMB_BYTES), 3)

    def _serve_inflating(self, handler: Any) -> None:
        """One gzip layer that inflates to BOMB_BYTES of zeros (a few KiB on the wire)."""
        self._send_encoded(handler, b"<html>" + bytes(BOMB_BYTES), 1)

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
