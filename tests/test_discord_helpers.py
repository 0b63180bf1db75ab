"""The Discord front end's helpers on their own: queue, rate limits, throttled progress, formatting, redaction."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from collections.abc import Hashable
from pathlib import Path

import pytest

from bot.core.captions.cues import Cue
from bot.core.config import Config, config_from_dict
from bot.core.errors import BusyError
from bot.discord_app.audio_budget import AudioBudget
from bot.discord_app.caption_job import CaptionJobs
from bot.discord_app.client import TokenRedactor
from bot.discord_app.formatting import (
    MESSAGE_LIMIT,
    announcement_text,
    caption_post,
    correction_confirmation,
    escape_markdown,
    parse_terms,
    progress_text,
    split_for_modal,
    vocabulary_text,
)
from bot.discord_app.progress import ThrottledProgress
from bot.discord_app.rate_limit import RequestLimits
from bot.discord_app.trainer_process import worker_command
from bot.discord_app.work_queue import WorkQueue


async def test_work_queue_runs_a_few_queues_a_few_and_refuses_the_rest() -> None:
    queue = WorkQueue(running=1, waiting=2)
    first, second, third = queue.reserve(), queue.reserve(), queue.reserve()
    with pytest.raises(BusyError, match="try again in a minute"):
        queue.reserve()
    assert (first.position, second.position, third.position) == (0, 1, 2)
    places: list[int] = []
    third.on_position = places.append
    order: list[str] = []

    async def work(name: str, ticket, gate: asyncio.Event | None = None) -> None:
        async with ticket:
            order.append(name)
            if gate:
                await gate.wait()

    gate = asyncio.Event()
    tasks = [
        asyncio.create_task(work("a", first, gate)),
        asyncio.create_task(work("b", second)),
        asyncio.create_task(work("c", third)),
    ]
    await asyncio.sleep(0.01)
    assert order == ["a"] and queue.size == 3
    gate.set()
    await asyncio.gather(*tasks)
    assert order == ["a", "b", "c"] and queue.size == 0
    assert places and places[-1] == 0
    queue.reserve().close()  # a place given back unused frees it
    assert queue.size == 0


async def test_work_queue_serves_servers_and_members_in_rotation_and_tells_each_its_place() -> None:
    queue = WorkQueue(running=1, waiting=100, per_user=2, per_guild=6)
    running = queue.reserve(1, 10)  # server 1 is being served
    flood = [queue.reserve(1, user) for user in (10, 11, 11, 12, 12)]  # 10's second, then 11 and 12
    places: dict[str, list[int]] = {}
    for name, ticket in zip(["a2", "b1", "b2", "c1", "c2"], flood, strict=True):
        ticket.on_position = places.setdefault(name, []).append
    assert running.position == 0
    # members of server 1 in rotation: 11 and 12 (never served) before 10, then again; each one's oldest first
    assert [t.position for t in flood] == [3, 1, 4, 2, 5]
    elsewhere = queue.reserve(2, 20)  # a second server arrives: it goes next
    assert elsewhere.position == 1 and [t.position for t in flood] == [4, 2, 5, 3, 6]
    assert places["b1"][-1] == 2  # told as the place moved
    with pytest.raises(BusyError, match=r"you already have 2 caption requests in progress.*\(2\)"):
        queue.reserve(1, 11)
    with pytest.raises(BusyError, match=r"this server's caption queue is full: 6 requests .*\(6\)"):
        queue.reserve(1, 13)
    third = queue.reserve(3, 30)  # past server 1's bound, another server is still let in
    order: list[Hashable] = []

    async def work(ticket) -> None:
        async with ticket:
            order.append(ticket.owner)
            await asyncio.sleep(0)

    tasks = [asyncio.create_task(work(t)) for t in [*flood, elsewhere, third]]
    running.close()
    await asyncio.gather(*tasks)
    assert order == [(2, 20), (3, 30), (1, 11), (1, 12), (1, 10), (1, 11), (1, 12)]
    assert all(place[-1] == 0 for place in places.values()) and queue.size == 0
    assert queue.reserve(1, 10).position == 0  # nothing left: the next one starts at once


def test_the_audio_budget_is_charged_at_admission_so_tiny_notes_are_not_free(tmp_path) -> None:
    """M3: 1 minute an hour, 15 s charged at admission: the 5th request is refused before any is captioned."""
    now = [0.0]
    budget = AudioBudget(1.0, admission_seconds=15.0, clock=lambda: now[0])
    jobs = CaptionJobs(
        None,  # type: ignore[arg-type]  # admission never reaches the service
        WorkQueue(1, 100, per_user=2, per_guild=100),
        RequestLimits(100, 100),
        progress_interval=1.0,
        scratch_dir=tmp_path,
        max_media_mb=1.0,
        budget=budget,
    )
    tickets = [jobs.admit(1, user) for user in range(4)]
    with pytest.raises(BusyError, match="the limit is 1 minutes an hour"):
        jobs.admit(1, 99)
    jobs.admit(2, 1).close()  # another server is not charged for it
    assert budget.used(1) == 60.0 and budget.used(2) == 15.0
    budget.settle(1, 1.5, tickets[0].charged)  # a 1.5 s voice note: nothing more
    budget.settle(1, 40.0, tickets[1].charged)  # a 40 s clip: 25 s more
    assert budget.used(1) == 85.0
    now[0] = 3601.0  # an hour later the charges have left the window
    assert budget.used(1) == 0.0
    for ticket in tickets:
        ticket.close()


def test_a_failed_retrain_message_never_shows_a_host_path() -> None:
    """L2: the job's message comes from a trainer host; the channel never sees its paths."""
    message = "could not read /srv/caption-bot/data/audio/123/ab.wav: [Errno 2] No such file; see /var/log/x"
    text = announcement_text("failed", None, message, None)
    assert "/srv" not in text and "/var" not in text and "(a file on the host)" in text
    kept = announcement_text("failed", None, "training ran out of memory; 1/2 folds; https://x.org/a", None)
    assert "1/2 folds" in kept and "https://x.org/a" in kept  # fractions and links are not paths


def test_rate_limits_per_user_and_per_guild_say_when_to_retry() -> None:
    now = [0.0]
    limits = RequestLimits(per_user=2, per_guild=3, clock=lambda: now[0])

    def request(guild: int, user: int) -> None:
        limits.check(guild, user)
        limits.record(guild, user)

    request(1, 10)
    request(1, 10)
    with pytest.raises(BusyError, match=r"try again in 60 seconds"):
        request(1, 10)
    request(1, 11)
    with pytest.raises(BusyError, match="this server"):
        request(1, 12)
    request(2, 12)  # another guild has its own window
    now[0] = 30.5
    with pytest.raises(BusyError, match="30 seconds"):
        request(1, 10)
    now[0] = 61.0
    request(1, 10)


async def test_throttled_progress_shows_the_latest_and_never_after_close() -> None:
    shown: list[str] = []

    async def send(text: str) -> None:
        await asyncio.sleep(0.01)
        shown.append(text)

    progress = ThrottledProgress(send, interval=0.1)
    for n in range(50):
        progress.update(f"step {n}")
        await asyncio.sleep(0.005)
    await asyncio.sleep(0.15)
    await progress.close()
    progress.update("too late")
    await asyncio.sleep(0.15)
    assert shown[0] == "step 0" and shown[-1] == "step 49" and "too late" not in shown
    assert len(shown) <= 6  # about one edit per interval, not fifty

    failing = ThrottledProgress(lambda text: asyncio.sleep(0, result=1 / 0), interval=0.01)
    failing.update("boom")  # a failed edit is logged, not raised
    await asyncio.sleep(0.05)
    await failing.close()


def test_progress_lines() -> None:
    assert progress_text("waiting", place=2) == "⏳ Queued (2nd in line: 1 ahead of you)…"
    assert progress_text("transcribing", 0.404) == "✍️ Transcribing… 40%"
    assert progress_text("downloading") == "⬇️ Downloading…"


def cues(text: str, n: int = 1) -> list[Cue]:
    return [Cue(i * 2.0, i * 2.0 + 1.5, text) for i in range(n)]


def test_caption_post_respects_the_message_limit_and_attaches_long_text() -> None:
    long = "word " * 1000
    post = caption_post(
        caption_id=7, cues=cues(long.strip(), 3), text=long, title="clip*", duration=75, model_version="v2",
        preview_chars=1500,
    )  # fmt: skip
    assert len(post.content) <= MESSAGE_LIMIT and post.truncated
    assert [name for name, _ in post.files] == ["captions-7.vtt", "transcript-7.txt"]
    assert "clip\\*" in post.content and "1:15" in post.content and "model v2" in post.content
    short = caption_post(
        caption_id=8, cues=cues("hi"), text="hi", title="t", duration=1, model_version="base", fmt="srt"
    )
    assert [name for name, _ in short.files] == ["captions-8.srt"] and not short.truncated
    silent = caption_post(caption_id=9, cues=[], text="", title="t", duration=1, model_version="base")
    assert "no speech" in silent.content


def test_markdown_and_mass_mentions_in_captions_are_defused() -> None:
    assert escape_markdown("**bold** @everyone > quote") == "\\*\\*bold\\*\\* @\u200beveryone > quote"
    assert escape_markdown("# heading").startswith("\\#")


def test_modal_splitting() -> None:
    text = " ".join(["word"] * 2500)
    parts = split_for_modal(text)
    assert parts is not None and len(parts) == 4 and all(len(p) <= 4000 for p in parts)
    assert " ".join(parts) == text
    assert split_for_modal(" ".join(["word"] * 4500)) is None
    assert split_for_modal("") == [""]
    assert split_for_modal("x" * 9000) == ["x" * 4000, "x" * 4000, "x" * 1000]


def test_texts() -> None:
    assert "3 of the 10 pairs" in correction_confirmation(1, 3, 10)
    assert "enough for a moderator" in correction_confirmation(2, 12, 10)
    assert parse_terms("LoRA, Zorblax\n Quindle ;") == ["LoRA", "Zorblax", "Quindle"]
    many = vocabulary_text([f"term{i:04d}" for i in range(500)])
    assert len(many) <= MESSAGE_LIMIT and "more" in many


def test_token_redaction_covers_messages_arguments_and_tracebacks(caplog) -> None:
    token = "MTIz.secret-token.value"
    redactor = TokenRedactor([token])
    redactor.install()
    try:
        log = logging.getLogger("bot.test.redaction")
        with caplog.at_level(logging.INFO):
            log.info("login with %s", token)
            log.warning(f"plain {token}")
            try:
                raise RuntimeError(f"bad token {token}")
            except RuntimeError:
                log.exception("failed")
        assert token not in caplog.text and caplog.text.count("[redacted]") >= 3
    finally:
        redactor.uninstall()
    assert logging.getLogRecordFactory() is logging.LogRecord


def test_worker_command_passes_the_config_file(tmp_path: Path) -> None:
    assert worker_command(Config(), 30)[-4:] == ["trainer", "worker", "--idle-exit", "30"]
    path = tmp_path / "c.toml"
    path.write_text("", encoding="utf-8")
    from_file = worker_command(config_from_dict({}, source=str(path)), 5)
    assert from_file[from_file.index("--config") + 1] == str(path)


def test_the_bot_never_imports_torch_or_the_trainer() -> None:
    code = (
        "import sys, importlib\n"
        "import bot.discord_app.client\n"
        "for name in bot.discord_app.client.COGS:\n"
        "    importlib.import_module('bot.discord_app.cogs.' + name)\n"
        "bad = sorted(m for m in sys.modules if m == 'torch' or m.startswith(('torch.', 'trainer')))\n"
        "print(bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip() == "[]", out.stdout
