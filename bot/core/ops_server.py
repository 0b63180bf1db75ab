"""The /healthz and /metrics endpoint of a process, served from a thread so it never waits on the event loop.

Both processes use it: the bot (`[ops] metrics_port`) and the trainer worker (`[ops] trainer_metrics_port`).
/metrics is the process's own prometheus_client registry in the text format. /healthz runs the process's
async health check on its event loop (`asyncio.run_coroutine_threadsafe`) with a deadline: 200 and
{"healthy": true, ...} when every check passes, else 503 naming what failed. A loop too blocked to answer
within the deadline is itself unhealthy, and the endpoint still answers.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Awaitable, Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

log = logging.getLogger("bot.ops")

Checks = Callable[[], Awaitable[dict[str, bool]]]  # name -> passed
Refresh = Callable[[], Awaitable[None]]  # brings gauges up to date before a scrape
DEADLINE = 5.0


class OpsServer:
    """`start()` listens (port 0 picks a free one, see `port`); `stop()` closes it."""

    def __init__(
        self,
        registry: CollectorRegistry,
        loop: asyncio.AbstractEventLoop,
        *,
        host: str,
        port: int,
        checks: Checks,
        refresh: Refresh | None = None,
        deadline: float = DEADLINE,
    ) -> None:
        self.registry = registry
        self.loop = loop
        self.host = host
        self.requested_port = port
        self.checks = checks
        self.refresh = refresh
        self.deadline = deadline
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self._server is not None, "the endpoint is not started"
        return int(self._server.server_address[1])

    def start(self) -> None:
        ops = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if path == "/metrics":
                    ops._on_loop(ops.refresh)
                    self._reply(200, CONTENT_TYPE_LATEST, generate_latest(ops.registry))
                elif path == "/healthz":
                    status, body = ops.health()
                    self._reply(status, "application/json", json.dumps(body).encode() + b"\n")
                else:
                    self._reply(404, "text/plain", b"not found: try /healthz or /metrics\n")

            def _reply(self, status: int, content_type: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # scrapes every 15 s: not worth a line
                pass

        self._server = ThreadingHTTPServer((self.host, self.requested_port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="ops-http", daemon=True)
        self._thread.start()
        log.info("health and metrics on http://%s:%d/healthz and /metrics", self.host, self.port)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def health(self) -> tuple[int, dict[str, Any]]:
        """(HTTP status, body); called from the server's thread."""
        checks = self._on_loop(self.checks)
        if checks is None:
            checks = {"event_loop": False}
        healthy = all(checks.values())
        return (200 if healthy else 503), {"healthy": healthy, "checks": checks}

    def _on_loop(self, make: Callable[[], Awaitable[Any]] | None) -> Any:
        if make is None:
            return None

        async def run() -> Any:
            return await make()

        future = asyncio.run_coroutine_threadsafe(run(), self.loop)
        try:
            return future.result(self.deadline)
        except Exception:  # a closed or blocked loop, or a check that raised
            future.cancel()
            log.warning("a health or metrics check did not answer", exc_info=True)
            return None
