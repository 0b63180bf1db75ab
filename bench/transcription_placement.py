"""Benchmark 6: where transcription runs. Does the bot still answer at once while its own threads transcribe?

Transcription runs in the bot process today: `[discord] max_concurrent_transcriptions` threads call
faster-whisper (CTranslate2 releases the GIL while it computes). The alternative is worker processes that
claim caption jobs from a queue. That is worth building only if transcribing in-process delays what users
see: the acknowledgement Discord requires within 3 s (our target is 1 s), the gateway heartbeats, the event
loop. This measures exactly that, with the transcription slots full for the whole measurement.

The real bot (start_bot, real service, faster-whisper, SQLite) against the fake Discord of the tests, per
configuration (shards, slots): 5 s with nothing to do (the control: what this machine's load alone does to
the loop), then `slots` long recordings (about 180 s of speech each) are captioned so every slot is busy;
then a probe `/caption file:` with a short voice note arrives every 0.5 s, spread over four servers (so over
both shards with 2), from a different member each time. Measured: dispatch -> the defer acknowledgement of
each probe, the event loop's lag (20 ms ticks), the longest gap between one shard's heartbeats (interval
1 s), the bot process's CPU use, and captions finished per minute.

    .venv/bin/python -m bench.transcription_placement [--probes 24] [--long-seconds 180]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shutil
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from bench.common import DATA_DIR, Run, headers, long_speech, record_loop_lag, wav_seconds, write_sections
from bench.responsiveness import percentile
from bench.training_cost import pair_clips

WORK = DATA_DIR / "transcription_placement"
TOKEN = "MTIzNDU2Nzg5.bench-bot-token.not-a-secret"
SERVERS = 4
IDLE_SECONDS = 5.0
CONFIGS = [(1, 1), (2, 1), (2, 2)]  # (shards, transcription slots)


@dataclass
class Measured:
    shards: int
    slots: int
    acks: list[float]
    probe_finals: list[float]
    long_finals: list[float]
    lags: list[float]
    idle_lags: list[float]
    heartbeat_gap: float
    cpu_s: float
    wall_s: float
    captions: int
    failed: list[str]


def write_config(path: Path, data_dir: Path, fake: Any, shards: int, slots: int) -> Path:
    sections = {
        "storage": {"data_dir": str(data_dir)},
        "discord": {
            "token": fake.token,
            "api_base_url": fake.api_base,
            "gateway_url": fake.gateway_url,
            "shards": "auto" if shards == 1 else shards,
            "max_concurrent_transcriptions": slots,
            "queue_size": 100,
            "guild_requests_in_flight": 50,
            "guild_requests_per_minute": 1000,
            "guild_audio_minutes_per_hour": 10000.0,
        },
    }
    return write_sections(path, sections)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def scenario(shards: int, slots: int, probes: int, long_seconds: float) -> Measured:
    from bot.core.config import load_config
    from bot.discord_app.client import start_bot
    from tests.fake_discord import CallbackType, FakeDiscord

    root = WORK / f"shards{shards}-slots{slots}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    clips = [path for path, _ in pair_clips(probes)]
    long_clips = [long_speech("placement", long_seconds, seed=seed)[0] for seed in range(slots)]
    fake_options = {"shards": shards, "max_concurrency": shards, "heartbeat_interval_ms": 1000}
    async with FakeDiscord(token=TOKEN, **fake_options) as fake:
        guilds = [fake.add_guild(name=f"Server {n}", channels=["general"]) for n in range(SERVERS)]
        config = load_config(write_config(root / "config.toml", root / "data", fake, shards, slots))
        async with start_bot(config, guild_ready_timeout=0.05) as bot:
            assert bot.shard_count == shards, bot.shard_count
            lags: list[float] = []
            stop = asyncio.Event()

            async def caption(path: Path, guild: Any, delay: float) -> dict[str, Any]:
                await asyncio.sleep(delay)
                user = fake.add_member(guild.id, f"member-{fake.new_id() % 100000}")
                note = fake.add_attachment(path.name, path.read_bytes(), "audio/wav")
                t0 = time.monotonic()
                interaction = await fake.dispatch_interaction(
                    "caption", {"file": note}, guild_id=guild.id, user=user
                )
                first = await fake.wait_for_interaction_response(interaction.token, None, timeout=30)
                out: dict[str, Any] = {"ack_s": first.created_at - t0}
                if first.callback_type != CallbackType.DEFERRED_CHANNEL_MESSAGE:
                    out["failed"] = f"refused: {first.content}"
                    return out
                try:
                    await fake.wait_for_interaction_response(
                        interaction.token,
                        lambda m: not m.deleted and any(n.endswith(".vtt") for n in m.file_names),
                        timeout=900,
                    )
                    out["final_s"] = time.monotonic() - t0
                except TimeoutError as exc:
                    out["failed"] = str(exc)[:200]
                return out

            watcher = asyncio.create_task(record_loop_lag(lags, stop))
            await asyncio.sleep(IDLE_SECONDS)  # the control: the same loop, nothing transcribing
            idle_lags, lags[:] = list(lags), []
            started, cpu_before, beats_before = time.monotonic(), cpu_seconds(), len(fake.heartbeats)
            longs = [
                asyncio.create_task(caption(path, guilds[n % SERVERS], 0.0))
                for n, path in enumerate(long_clips)
            ]
            await asyncio.sleep(1.0)  # the long ones hold every slot before the first probe
            probe_results = await asyncio.gather(
                *(caption(path, guilds[n % SERVERS], 0.5 * n) for n, path in enumerate(clips))
            )
            long_results = await asyncio.gather(*longs)
            wall, cpu = time.monotonic() - started, cpu_seconds() - cpu_before
            stop.set()
            await watcher
            assert len(fake.heartbeats) > beats_before
            results = [*probe_results, *long_results]
            return Measured(
                shards=shards,
                slots=slots,
                acks=[r["ack_s"] for r in probe_results],
                probe_finals=[r["final_s"] for r in probe_results if "final_s" in r],
                long_finals=[r["final_s"] for r in long_results if "final_s" in r],
                lags=lags,
                idle_lags=idle_lags,
                heartbeat_gap=fake.max_heartbeat_gap(),
                cpu_s=cpu,
                wall_s=wall,
                captions=sum(1 for r in results if "final_s" in r),
                failed=[r["failed"] for r in results if "failed" in r],
            )


class Row(NamedTuple):
    shards: int
    slots: int
    ack_p50: float
    ack_p99: float
    ack_max: float
    idle_lag_max_ms: float
    lag_p99_ms: float
    lag_max_ms: float
    heartbeat_gap: float
    cpu_cores: float
    captions_per_min: float
    long_s: float
    failed: int


def row_of(m: Measured) -> Row:
    return Row(
        m.shards,
        m.slots,
        round(statistics.median(m.acks), 3),
        round(percentile(m.acks, 99), 3),
        round(max(m.acks), 3),
        round(max(m.idle_lags) * 1000, 1),
        round(percentile(m.lags, 99) * 1000, 1),
        round(max(m.lags) * 1000, 1),
        round(m.heartbeat_gap, 2),
        round(m.cpu_s / m.wall_s, 2),
        round(60 * m.captions / m.wall_s, 1),
        round(max(m.long_finals), 1) if m.long_finals else float("nan"),
        len(m.failed),
    )


def interpretation(rows: list[Row]) -> str:
    worst_ack = max(r.ack_max for r in rows)
    worst_gap = max(r.heartbeat_gap for r in rows)
    idle_lag = max(r.idle_lag_max_ms for r in rows)
    one_slot = max(r.lag_max_ms for r in rows if r.slots == 1)
    text = (
        f"With every transcription slot busy, each probe was acknowledged within {worst_ack:.2f} s in every "
        f"configuration (target 1 s: {'met' if worst_ack < 1 else 'NOT met'}; Discord's limit 3 s) and the "
        f"longest gap between one shard's heartbeats was {worst_gap:.2f} s at a 1 s interval. The event loop's "
        f"longest stall was {idle_lag:.0f} ms with nothing transcribing and {one_slot:.0f} ms with one slot."
    )
    one, two = (next((r for r in rows if r.shards == 2 and r.slots == s), None) for s in (1, 2))
    if one and two:
        text += (
            f" A second slot on the 2 cores took the stall to {two.lag_max_ms:.0f} ms and throughput from "
            f"{one.captions_per_min} to {two.captions_per_min} captions per minute."
        )
    if worst_ack >= 1 or worst_gap >= 1.5:
        return text + " Transcribing in the bot's threads delays what users see: move it to worker processes."
    gain = two.captions_per_min / one.captions_per_min if one and two and one.captions_per_min else 0.0
    slots = (
        f"a slot per core: each slot is a CTranslate2 replica with the cores shared out, and the second "
        f"gave {gain:.2f}x the captions per minute"
        if gain > 1.1
        else "one slot per machine like this one"
    )
    text += (
        f" Transcription stays in the bot process, {slots}: worker processes would add a queue and a second "
        "service without making any answer faster here."
    )
    if one and two and two.captions_per_min <= one.captions_per_min * 1.1:
        why = "no more throughput, longer stalls" if two.lag_max_ms > one.lag_max_ms else "no more throughput"
        text += (
            f" More threads are not the way to more cores ({why}); on a host with cores or GPUs to spare, more "
            "transcription means more processes claiming caption jobs from the queue."
        )
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--probes", type=int, default=24)
    parser.add_argument("--long-seconds", type=float, default=180.0)
    args = parser.parse_args()
    os.environ["HF_HUB_OFFLINE"] = "1"

    run = Run("transcription_placement", "6. Where transcription runs: answers while every slot transcribes")
    measured = []
    for shards, slots in CONFIGS:
        print(f"shards {shards}, slots {slots} ...", flush=True)
        measured.append(asyncio.run(scenario(shards, slots, args.probes, args.long_seconds)))
    rows = [row_of(m) for m in measured]
    long_s = wav_seconds(long_speech("placement", args.long_seconds, seed=0)[0])
    run.finish(
        headers(
            Row,
            shards="shards",
            slots="transcription slots",
            ack_p50="ack p50 s",
            ack_p99="ack p99 s",
            ack_max="ack max s",
            idle_lag_max_ms="idle loop lag max ms",
            lag_p99_ms="loop lag p99 ms",
            lag_max_ms="loop lag max ms",
            heartbeat_gap="longest heartbeat gap s",
            cpu_cores="bot CPU (cores)",
            captions_per_min="captions per min",
            long_s="long caption done s",
            failed="failed",
        ),
        rows,
        interpretation(rows),
        method=(
            f"per row a fresh bot (product defaults but the slots, and limits raised so no probe is refused) "
            f"on the fake Discord with {SERVERS} servers; {IDLE_SECONDS:.0f} s idle (the control lag), then one {long_s:.0f} s espeak-ng recording per slot "
            f"(`/caption file:`), then {args.probes} probes, a 3-5 s voice note every 0.5 s from a new member, "
            "round the servers; ack = dispatch -> the defer as the fake receives it (the fake shares the "
            "bot's event loop, so a stall counts against the bot); 'bot CPU' is the process's CPU seconds / "
            "wall seconds from the first long caption to the last reply; 'captions per min' counts the "
            f"long and the probe captions; p99 of {args.probes} samples is their maximum."
        ),
        notes=[
            f"The bot process got {min(r.cpu_cores for r in rows)}-{max(r.cpu_cores for r in rows)} of a core "
            "while it had captions to make: with other work on the 2 cores the throughput columns show what "
            "that share allowed (compare them with each other, not with a quiet machine); the acknowledgement "
            "and lag columns are upper bounds: a quieter machine can only shorten them.",
            "faster-whisper is loaded with num_workers=1 (one CTranslate2 replica): two slots share it, so a "
            "second slot overlaps only decoding, VAD and feature work with the other's model time.",
        ],
        details={"failed": [m.failed for m in measured]},
    )


if __name__ == "__main__":
    main()
