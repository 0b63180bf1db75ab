"""File paths in the database are relative to data_dir, so every machine that mounts data_dir can use them.

A trainer on machine B writes `models/<guild>/v3/model`; the bot on machine A, whose data_dir is another
mount point of the same share, finds that folder under its own data_dir.

Every path read back is resolved (symlinks and `..` included) and must lie under data_dir: a row naming
`/proc/self/environ`, `../../etc`, or a symlink in a shared data_dir pointing out of it, is refused, so the
bot never posts, serves or deletes a file outside data_dir whatever a row (or a compromised trainer host)
says. `within` gives None for such a row, for the callers that skip it (deletions, posting a picture).
"""

from __future__ import annotations

import logging
from pathlib import Path

from bot.core.errors import StoreError

log = logging.getLogger("bot.core.store.paths")


class OutsideDataDirError(StoreError):
    """A path in the database that resolves outside data_dir."""


def to_stored(data_dir: Path, path: Path | str) -> str:
    """What to write in the database for `path`: relative to data_dir when it lies inside it."""
    path = Path(path)
    for root, candidate in ((data_dir, path), (data_dir.resolve(), path.resolve())):
        try:
            return candidate.relative_to(root).as_posix()
        except ValueError:
            continue
    return str(path.resolve())


def located(data_dir: Path, stored: str) -> Path:
    """Where a path read from the database is on this machine, resolved; refused outside data_dir."""
    root = data_dir.resolve()
    path = (root / stored).resolve()
    if not path.is_relative_to(root):
        raise OutsideDataDirError("a stored file path lies outside the data folder; it is not used")
    return path


def within(data_dir: Path, stored: str) -> Path | None:
    """`located`, or None (logged) for a path outside data_dir."""
    try:
        return located(data_dir, stored)
    except OutsideDataDirError:
        log.warning("ignored a stored path outside the data folder: %r", stored[:200])
        return None
