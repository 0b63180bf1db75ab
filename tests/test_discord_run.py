"""`python -m bot run`: the production entry point serves the (fake) Discord named in the config."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.discord_harness import TEST_TOKEN, sharded, shards_setting, write_config
from tests.fake_discord import FakeDiscord

ROOT = Path(__file__).resolve().parents[1]


async def read_until(stream: asyncio.StreamReader, marker: str, timeout: float) -> str:
    seen: list[str] = []

    async def scan() -> None:
        while line := await stream.readline():
            seen.append(line.decode(errors="replace"))
            if marker in seen[-1]:
                return

    await asyncio.wait_for(scan(), timeout)
    return "".join(seen)


async def finish(proc: asyncio.subprocess.Process, timeout: float) -> bytes:
    """The rest of its output once it exits; killed (and the test failed) if it does not exit in time."""
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise AssertionError(f"the bot did not stop within {timeout} s") from None
    return out


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
async def test_python_m_bot_run_connects_syncs_and_stops_cleanly(
    tmp_path: Path, stop_signal, discord_shards: int
) -> None:
    async with FakeDiscord(token=TEST_TOKEN, **sharded(discord_shards)) as fake:
        fake.add_guild(name="Prod-like")
        fake.add_guild(name="Prod-like too")
        discord = {"shards": shards_setting(discord_shards)}
        config = write_config(tmp_path / "config.toml", tmp_path / "data", fake, discord=discord)
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "--config", str(config), "run",
            cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
            env={**os.environ, "HF_HUB_OFFLINE": "1"},
        )  # fmt: skip
        assert proc.stdout is not None
        try:
            before = await read_until(proc.stdout, "connected as", 60)
            names = {c["name"] for c in fake.global_commands}
            assert {"caption", "vocab", "retrain", "model", "forget", "settings"} <= names
            assert fake.identify_payloads[-1]["intents"] & (1 << 15)  # the message content intent
            assert sorted(p["shard"] for p in fake.identify_payloads) == [
                [n, discord_shards] for n in range(discord_shards)
            ]
            assert f"to 2 servers on {discord_shards} shards" in before
        finally:
            proc.send_signal(stop_signal)
            rest = await finish(proc, 30)
    text = before + rest.decode(errors="replace")
    assert proc.returncode == 0, text[-3000:]
    assert "stopping" in text and text.count("connected as") == 1  # one handler: no doubled lines
    assert TEST_TOKEN not in text
    assert TEST_TOKEN not in (tmp_path / "data" / "logs" / "bot.log").read_text(encoding="utf-8")


async def test_a_wrong_token_is_one_clear_line(tmp_path: Path) -> None:
    async with FakeDiscord(token=TEST_TOKEN) as fake:
        config = write_config(
            tmp_path / "config.toml", tmp_path / "data", fake, discord={"token": "wrong-token"}
        )
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "--config", str(config), "run",
            cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            env={**os.environ, "HF_HUB_OFFLINE": "1"},
        )  # fmt: skip
        _, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 2
    last = err.decode().strip().splitlines()[-1]
    assert last.startswith("error: Discord refused the bot token") and "wrong-token" not in err.decode()
