"""The trainer runs in its own process (`python -m trainer worker`), started by the bot when jobs wait.

The worker takes a file lock, so starting one while another runs is harmless (the second exits at once);
it exits by itself after `idle_exit` seconds without jobs. It logs to <data_dir>/logs/trainer.log; its console output goes to trainer-console.log.
The bot owns the child it started: closing the bot stops it (a job it was running is then failed by the
next worker's recovery, and the active model is unchanged). Discord-free.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from pathlib import Path
from typing import IO

from bot.core.config import Config

log = logging.getLogger("bot.trainer_process")


def worker_command(config: Config, idle_exit: float, python: str = sys.executable) -> list[str]:
    """The command line; --config is passed when the settings came from a file."""
    from_file = ["--config", config.source] if Path(config.source).is_file() else []
    return [python, "-m", "trainer", *from_file, "worker", "--idle-exit", f"{idle_exit:g}"]


def child_environment() -> dict[str, str]:
    """The bot's environment without DISCORD_TOKEN: the trainer never talks to Discord, so it never holds
    the token (nor can a crash report or a library of its leak it)."""
    return {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}


class TrainerProcess:
    def __init__(self, config: Config, *, idle_exit: float = 60.0) -> None:
        self.command = worker_command(config, idle_exit)
        self.log_path = config.data_dir / "logs" / "trainer-console.log"  # its own log is trainer.log
        self._proc: asyncio.subprocess.Process | None = None
        self._reaper: asyncio.Task[int] | None = None
        self.started = 0  # how many workers this bot has started

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.returncode is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self.alive and self._proc else None

    async def ensure_running(self) -> bool:
        """Start a worker unless our child is still running; True when one was started."""
        if self.alive:
            return False
        try:
            log_file = await asyncio.to_thread(self._open_log)
            try:
                self._proc = await asyncio.create_subprocess_exec(
                    *self.command,
                    stdin=asyncio.subprocess.DEVNULL,
                    stdout=log_file,
                    stderr=asyncio.subprocess.STDOUT,
                    env=child_environment(),
                )
            finally:
                await asyncio.to_thread(log_file.close)
        except OSError:  # the job stays queued; the bot's job watcher tries again
            log.exception("could not start the trainer worker (%s)", " ".join(self.command))
            return False
        self.started += 1
        self._reaper = asyncio.create_task(self._proc.wait())  # reaps the child: no zombie
        log.info("started the trainer worker (pid %s)", self._proc.pid)
        return True

    def _open_log(self) -> IO[bytes]:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        return self.log_path.open("ab")

    async def stop(self, timeout: float = 5.0) -> None:
        proc = self._proc
        if proc is None or proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            proc.terminate()
        try:
            await asyncio.wait_for(proc.wait(), timeout)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
        log.info("stopped the trainer worker (pid %s)", proc.pid)
