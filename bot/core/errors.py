"""Errors a user may see.

Every failure the user can cause or fix is a `UserError` whose message is one line saying what is wrong and
what to do. The CLI prints it as one line; the Discord layer sends it as an ephemeral message. Anything else
is a bug: it is logged with its traceback and the user gets a short apology instead.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any


class UserError(Exception):
    """A problem the user can act on; str(error) is the whole message (English).

    `key` and `values` name the same message in the Discord layer's catalog (bot/discord_app/i18n), so a
    reply can show it in the member's language; the CLI and the logs keep the English text.
    """

    def __init__(
        self, message: str, *, key: str | None = None, values: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(" ".join(message.split()))
        self.key = key
        self.values: dict[str, Any] = dict(values or {})


class ConfigError(UserError):
    """A setting is missing or wrong; the message names the key."""


class MediaError(UserError):
    """The media could not be fetched or decoded, or breaks a limit."""


class NotFoundError(UserError):
    """A caption, job or model the user named does not exist in their guild."""


class CorrectionError(UserError):
    """A correction cannot be used (empty, too long, invalid captions file)."""


class StoreError(UserError):
    """The database cannot be used (locked, newer schema, unreadable)."""


class PermissionDeniedError(UserError):
    """The user may not do this (not a moderator, not their data)."""


class BusyError(UserError):
    """Too many requests: a rate limit, a full queue, a job already running."""


def run_command_line(body: Callable[[], int], log_dir: Callable[[], Path], log_name: str) -> int:
    """Run a CLI command: a UserError is one line and exit 2; a bug is one line, exit 1, its traceback logged."""
    try:
        return body()
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / log_name
        with path.open("a", encoding="utf-8") as f:
            f.write(traceback.format_exc() + "\n")
        print(f"error: unexpected failure ({type(exc).__name__}); details in {path}", file=sys.stderr)
        return 1
