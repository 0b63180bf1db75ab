"""A loopback HTTP server standing in for a video host, so link captioning runs yt-dlp for real offline."""

from __future__ import annotations

import http.server
import shutil
import sys
import threading
from pathlib import Path
from typing import Any


class QuietHTTPServer(http.server.ThreadingHTTPServer):
    """A client that hangs up early (yt-dlp does, after reading what it needs) is not an error worth printing."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class MediaServer:
    """A loopback HTTP server standing in for a video host: serves files and chosen status codes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.requested: list[str] = []  # every path asked for, so a test can show nothing was fetched
        server_root, requested = root, self.requested

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(server_root), **kwargs)

            def send_head(self) -> Any:
                requested.append(self.path)
                return super().send_head()

            def log_message(self, format: str, *args: Any) -> None:
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
