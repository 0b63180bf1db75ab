"""File paths in the database are relative to data_dir, so every machine that mounts data_dir can use them.

A trainer on machine B writes `models/<guild>/v3/model`; the bot on machine A, whose data_dir is another
mount point of the same share, finds that folder under its own data_dir. An absolute path in the database
(a file outside data_dir, or a row of an older release the migration did not recognise) is used as it is:
joining an absolute path to data_dir gives the absolute path back.
"""

from __future__ import annotations

from pathlib import Path


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
    """Where a path read from the database is on this machine."""
    return data_dir / stored
