"""One bot process for bench/scale.py: the real bot, its own fake Discord, and its share of the servers.

The production CaptionBot (real service, faster-whisper tiny.en, the shared database) connects to a fake
Discord on 127.0.0.1 that holds this process's servers, as one gateway shard would. In every server a
member sends `/caption file:<voice note>` and then corrects the caption by replying with the right words;
in the servers named for it a moderator then sends `/retrain`. The trainer is not started by the bot
(`spawn_trainer=False`): the benchmark's workers serve the queue, as trainer hosts would.

Protocol with the parent (files, so any number of processes can take part): the retrain servers are
captioned and corrected first (a retrain needs pairs), then READY_FILE is written; when the parent has
seen every bot ready it writes GO_FILE, and every bot sends all its /retrain at once while the rest of its
servers keep captioning. The bot waits until each retrain's result is posted in its channel, then writes
what it measured to OUT_FILE (JSON) and exits.

    python -m bench.scale_bot SPEC.json
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import write_sections
from bot.core.config import load_config
from bot.discord_app.client import start_bot
from tests.fake_discord import CallbackType, FakeDiscord, SentMessage

TOKEN = "MTIzNDU2Nzg5.scale-bench-token.not-a-secret"
JOB_ID = re.compile(r"Retrain queued \(job (\d+)\)")
RESULT_PREFIXES = ("🧠 Retrain finished", "⚠️ Retrain failed")
CORRECTED_WORD = "Quindle"  # a made-up name: what a community's correction teaches


@dataclass
class Server:
    guild_id: int
    channel_id: int
    member: dict[str, Any]
    moderator: dict[str, Any]
    clip: Path
    text: str


def write_config(path: Path, spec: dict[str, Any], fake: FakeDiscord) -> Path:
    """The product's defaults, except: the shared database, no trainer child, a retrain after one pair."""
    sections: dict[str, dict[str, Any]] = {
        "storage": {"data_dir": spec["data_dir"], "database": spec["database"]},
        "discord": {"token": fake.token, "api_base_url": fake.api_base, "gateway_url": fake.gateway_url},
        "training": {"min_pairs": 1, "retrain_cooldown_minutes": 0},
    }
    return write_sections(path, sections)


def corrected(text: str) -> str:
    """The caption's true words with the second word replaced by a name Whisper cannot know."""
    words = text.split()
    words[1] = CORRECTED_WORD
    return " ".join(words)


def captions_or_error(message: SentMessage) -> bool:
    """The /caption answer: the captions file, or the ephemeral line that replaces it on an error."""
    if message.deleted:
        return False
    return any(n.endswith(".vtt") for n in message.file_names) or (
        message.ephemeral and not message.loading and bool(message.content)
    )


def settled(message: SentMessage) -> bool:
    return not message.loading and not message.deleted and message.content is not None


async def caption_and_correct(fake: FakeDiscord, server: Server, timeout: float) -> dict[str, Any]:
    """/caption a voice note, wait for the captions, reply with the corrected words, wait for "Saved"."""
    out: dict[str, Any] = {"guild": server.guild_id}
    note = fake.add_attachment(server.clip.name, server.clip.read_bytes(), "audio/wav")
    t0 = time.monotonic()
    interaction = await fake.dispatch_interaction(
        "caption", {"file": note}, guild_id=server.guild_id, user=server.member
    )
    first = await fake.wait_for_interaction_response(interaction.token, None, timeout=30)
    out["ack_s"] = first.created_at - t0
    if first.callback_type != CallbackType.DEFERRED_CHANNEL_MESSAGE:
        out["refused"] = first.content
        return out
    try:
        answer = await fake.wait_for_interaction_response(interaction.token, captions_or_error, timeout)
    except TimeoutError:
        out["failed"] = f"no captions nor error within {timeout:.0f} s"
        return out
    if answer.ephemeral:  # the bot's one-line error, shown to the requester only
        out["failed"] = answer.content
        return out
    out["caption_s"] = time.monotonic() - t0
    t1 = time.monotonic()
    reply = await fake.dispatch_message(
        server.channel_id,
        server.member,
        corrected(server.text),
        message_reference=answer.message_id,
    )
    reply_id = int(reply["id"])
    try:
        confirmation = await fake.wait_for_message(
            lambda m: m.reference_message_id == reply_id and m.content is not None, timeout=timeout
        )
    except TimeoutError as exc:
        out["correction_failed"] = str(exc)[:200]
        return out
    out["correction_s"] = time.monotonic() - t1
    out["saved"] = "Saved" in (confirmation.content or "")
    if not out["saved"]:
        out["correction_answer"] = (confirmation.content or "")[:200]
    return out


async def retrain(fake: FakeDiscord, server: Server, timeout: float) -> dict[str, Any]:
    """/retrain as the moderator: the acknowledgement, the queued job's number, and the posted result."""
    out: dict[str, Any] = {"guild": server.guild_id}
    t0 = time.monotonic()
    interaction = await fake.dispatch_interaction("retrain", guild_id=server.guild_id, user=server.moderator)
    first = await fake.wait_for_interaction_response(interaction.token, None, timeout=30)
    out["ack_s"] = first.created_at - t0
    answer = await fake.wait_for_interaction_response(interaction.token, settled, timeout=30)
    found = JOB_ID.search(answer.content or "")
    if found is None:
        out["refused"] = (answer.content or "")[:200]
        return out
    out["job_id"] = int(found.group(1))
    out["queued_s"] = time.monotonic() - t0
    try:
        result = await fake.wait_for_message(
            lambda m: (
                m.kind == "channel"
                and m.channel_id == server.channel_id
                and (m.content or "").startswith(RESULT_PREFIXES)
            ),
            timeout=timeout,
        )
    except TimeoutError:
        out["not_announced"] = True
        return out
    out["announced_s"] = time.monotonic() - t0
    out["outcome"] = (result.content or "").splitlines()[0][:200]
    return out


def log_to_file(path: Path) -> None:
    """The bot's warnings and errors (tracebacks included) in the round's folder, for a failed request."""
    logging.basicConfig(
        filename=path, level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


async def wait_for_file(path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path.name} did not appear within {timeout:.0f} s")
        await asyncio.sleep(0.05)


async def limited(gate: asyncio.Semaphore, work) -> dict[str, Any]:
    async with gate:
        return await work


async def serve(spec: dict[str, Any]) -> dict[str, Any]:
    clips = [(Path(p), t) for p, t in spec["clips"]]
    async with FakeDiscord(token=TOKEN) as fake:
        servers = []
        for number, guild_id in enumerate(spec["guilds"]):
            guild = fake.add_guild(guild_id=guild_id, name=f"Server {guild_id % 10000}", channels=["general"])
            clip, text = clips[(spec["first_clip"] + number) % len(clips)]
            servers.append(
                Server(
                    guild_id,
                    guild.text_channel_id,
                    fake.add_member(guild_id, f"member-{number}"),
                    fake.add_moderator(guild_id, f"mod-{number}"),
                    clip,
                    text,
                )
            )
        config = load_config(write_config(Path(spec["data_dir"]) / "config.toml", spec, fake))
        log_to_file(Path(spec["data_dir"]) / "bot.log")
        started = time.monotonic()
        async with start_bot(config, spawn_trainer=False, ready_timeout=120.0):
            ready_s = time.monotonic() - started
            gate = asyncio.Semaphore(spec["in_flight"])
            timeout = spec["timeout_s"]
            retraining = [s for s in servers if s.guild_id in set(spec["retrain_guilds"])]
            others = [s for s in servers if s not in retraining]
            first = await asyncio.gather(
                *(limited(gate, caption_and_correct(fake, s, timeout)) for s in retraining)
            )
            Path(spec["ready_file"]).write_text("ready", encoding="utf-8")
            await wait_for_file(Path(spec["go_file"]), timeout)
            retrains = asyncio.gather(*(retrain(fake, s, timeout) for s in retraining))
            rest = asyncio.gather(*(limited(gate, caption_and_correct(fake, s, timeout)) for s in others))
            retrain_results, rest_results = await asyncio.gather(retrains, rest)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return {
            "index": spec["index"],
            "servers": len(servers),
            "ready_s": ready_s,
            "captions": [*first, *rest_results],
            "retrains": retrain_results,
            "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
            "unknown_routes": [f"{u.method} {u.path}" for u in fake.unknown_routes][:10],
        }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m bench.scale_bot SPEC.json", file=sys.stderr)
        return 2
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    result = asyncio.run(serve(spec))
    out = Path(spec["out_file"])
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(result), encoding="utf-8")
    tmp.replace(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
