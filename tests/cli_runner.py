"""The project's CLIs (`python -m bot`, `python -m trainer`) run as a user runs them: a subprocess in the
repository root, offline, its output captured as text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_cli(
    module: str, config_file: Path, *args: str, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`python -m <module> --config <config_file> <args>`; its exit code and output, never raising on them.
    `env` adds to (or overrides) the test's environment, e.g. a PATH without ffmpeg."""
    return subprocess.run(
        [sys.executable, "-m", module, "--config", str(config_file), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})},
    )
