"""Bad input, fuzzed; guild isolation as a property; retention; two processes writing at once.

Each test here is a row of the reliability table in docs/operations.md: what was tried, how often, and what was lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.config import config_from_dict
from bot.core.errors import ConfigError, MediaError, NotFoundError, UserError
from bot.core.media.audio import decode_to_wav
from bot.core.store import Store
from bot.service import CaptionService
from bot.service.retention import DAY, apply_retention

ROOT = Path(__file__).resolve().parents[1]
MEDIA = config_from_dict({"media": {"max_duration_seconds": 600}}).media
SLOW_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


# --- media: random, truncated, mislabeled, absurd ---------------------------------------------------------


@SLOW_SETTINGS
@given(
    data=st.binary(min_size=1, max_size=4096),
    suffix=st.sampled_from([".ogg", ".mp3", ".wav", ".mp4", ".bin"]),
)
def test_random_bytes_are_refused_cleanly(tmp_path_factory, data, suffix):
    folder = tmp_path_factory.mktemp("fuzz")
    source = folder / f"upload{suffix}"
    source.write_bytes(data)
    with pytest.raises(MediaError):
        decode_to_wav(source, folder / "out.wav", MEDIA)
    assert not (folder / "out.wav").exists() and not (folder / "out.wav.part").exists()


@SLOW_SETTINGS
@given(fraction=st.floats(min_value=0.0, max_value=0.95))
def test_truncated_voice_notes_decode_or_fail_cleanly(tmp_path_factory, make_speech, fraction):
    """A cut-off upload either yields the audio that is there or one clear error, never a crash."""
    folder = tmp_path_factory.mktemp("cut")
    whole = make_speech("A voice note that was cut off in the middle.", suffix=".ogg").read_bytes()
    source = folder / "cut.ogg"
    source.write_bytes(whole[: int(len(whole) * fraction)])
    try:
        duration = decode_to_wav(source, folder / "out.wav", MEDIA)
    except MediaError as exc:
        assert "\n" not in str(exc)
    else:
        assert duration > 0 and (folder / "out.wav").exists()


def test_a_mislabeled_file_is_decoded_by_its_content(tmp_path, make_speech):
    wav_named_mp4 = tmp_path / "voice.mp4"
    wav_named_mp4.write_bytes(make_speech("Named wrong but real audio.").read_bytes())
    assert decode_to_wav(wav_named_mp4, tmp_path / "out.wav", MEDIA) > 1.0


def test_a_ten_hour_header_is_refused_before_decoding(tmp_path):
    """A 20 kB file whose Matroska header claims ten hours: refused from the header, nothing decoded."""
    two_seconds = tmp_path / "two.mka"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=300:duration=2",
            "-ar",
            "16000",
            "-c:a",
            "libopus",
            str(two_seconds),
        ],
        check=True,
    )
    data = bytearray(two_seconds.read_bytes())
    at = data.find(b"\x44\x89")  # the Segment Duration element (milliseconds, 8-byte float)
    assert data[at + 2] == 0x88
    data[at + 3 : at + 11] = struct.pack(">d", 10 * 3600 * 1000.0)
    claims_ten_hours = tmp_path / "ten-hours.mka"
    claims_ten_hours.write_bytes(bytes(data))
    started = time.monotonic()
    with pytest.raises(MediaError, match="600.0 minutes long"):
        decode_to_wav(claims_ten_hours, tmp_path / "out.wav", MEDIA)
    assert time.monotonic() - started < 5
    assert not list(tmp_path.glob("out.wav*"))


def test_a_wav_header_larger_than_its_data_decodes_only_what_is_there(tmp_path):
    rate, seconds_claimed = 16000, 10 * 3600
    data_bytes = rate * 2 * seconds_claimed
    header = b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
    header += b"data" + struct.pack("<I", data_bytes)
    fake = tmp_path / "ten-hours.wav"
    fake.write_bytes(header + b"\x00" * rate * 2)
    assert decode_to_wav(fake, tmp_path / "out.wav", MEDIA) == pytest.approx(1.0, abs=0.05)


@pytest.fixture(scope="module")
def quiet_service(tmp_path_factory):
    folder = tmp_path_factory.mktemp("quiet")
    config = config_from_dict({"storage": {"data_dir": str(folder / "data")}})
    loop = asyncio.new_event_loop()
    service = loop.run_until_complete(CaptionService.open(config))
    yield loop, service, folder
    loop.run_until_complete(service.close())
    loop.close()


@pytest.mark.parametrize(
    "synth",
    [
        ["trim", "0", "10"],  # silence
        ["synth", "12", "sine", "440", "sine", "660", "tremolo", "5", "40"],  # a held chord
        [
            "synth",
            "3",
            "pluck",
            "C4",
            ":",
            "synth",
            "3",
            "pluck",
            "E4",
            ":",
            "synth",
            "3",
            "pluck",
            "G4",
        ],  # notes
        ["synth", "8", "pinknoise", "vol", "0.3"],  # noise
        ["synth", "0.1", "sine", "300"],  # a 0.1 s blip
    ],
    ids=["silence", "chord", "melody", "noise", "blip"],
)
def test_no_speech_gives_no_invented_captions(quiet_service, synth):
    loop, service, folder = quiet_service
    path = folder / f"{synth[1]}-{len(synth)}.wav"
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", str(path), *synth], check=True)
    result = loop.run_until_complete(service.caption(1, path))
    assert result.cues == [], result.cues


# --- configuration, fuzzed ---------------------------------------------------------------------------------

_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.lists(st.text(max_size=5), max_size=3),
)
_keys = st.sampled_from(
    ["data_dir", "max_size_mb", "hint", "epochs", "merge_scales", "allowed_hosts", "vad", "token", "x"]
)
_sections = st.sampled_from(["storage", "model", "media", "training", "discord", "correction", "nope"])


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(_sections, st.one_of(st.dictionaries(_keys, _values, max_size=4), _values), max_size=4)
)
def test_any_config_loads_or_names_its_problem_in_one_line(raw):
    raw = {
        k: ({kk: vv for kk, vv in v.items() if vv is not None} if isinstance(v, dict) else v)
        for k, v in raw.items()
    }
    try:
        config_from_dict(raw, source="config.toml")
    except ConfigError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("config.toml: ")


# --- guild isolation as a property ------------------------------------------------------------------------

A, B = 1001, 2002
OPERATIONS = [
    "media",
    "caption",
    "correct",
    "vocab_add",
    "vocab_remove",
    "job",
    "claim",
    "finish",
    "model",
    "rollback",
    "forget",
    "autocaption",
    "reply_style",
    "moderator_role",
    "clear_audio",
    "pending",
    "steal",
]


async def _snapshot(store: Store, guild: int, caption_ids: list[int]) -> dict:
    captions = []
    for caption_id in caption_ids:
        try:
            captions.append((await store.get_caption(guild, caption_id)).text)
        except NotFoundError:
            captions.append(None)
    open_job = await store.open_job(guild)
    return {
        "captions": captions,
        "pairs": [(p.start, p.end, p.text) for p in await store.training_pairs(guild)],
        "vocab": await store.vocabulary(guild),
        "corrections": await store.count_corrections(guild),
        "job": (open_job.id, open_job.status) if open_job else None,
        "models": [(m.version, m.status) for m in await store.model_history(guild)],
        "autocaption": await store.autocaption(guild),
        "reply_style": await store.reply_style(guild),
        "moderator_role": await store.moderator_role(guild),
        "pending": [(r.id, r.user_id, r.label) for r in await store.pending_captions(guild)],
    }


async def _apply(store: Store, op: str, step: int, mine: list[int], theirs: list[int]) -> None:
    """One operation by guild A; 'steal' tries to reach B's rows by id and must fail."""
    if op in ("media", "caption") or not mine:
        media_id = await store.add_media(
            A,
            sha256=f"a{step}",
            source="x",
            title="x",
            duration=5.0,
            audio_path=f"/a{step}.wav",
            uploader_id=step % 3,
        )
        cue = {"start": 0.0, "end": 1.0, "text": f"a{step}", "words": []}
        mine.append(
            await store.add_caption(
                A,
                media_id=media_id,
                model_version="base",
                language="en",
                cues=[cue],
                text=f"a{step}",
                requester_id=1,
            )
        )
    elif op == "correct":
        with contextlib.suppress(NotFoundError):  # A's caption may have gone with a 'forget' of its uploader
            await store.add_correction(
                A,
                caption_id=mine[-1],
                user_id=step % 3,
                kind="text",
                text=f"fix{step}",
                cues=[],
                pairs=[(0.0, 1.0, f"fix{step}")],
            )
    elif op == "vocab_add":
        await store.add_terms(A, [f"term{step % 4}", "Shared"], added_by=1)
    elif op == "vocab_remove":
        await store.remove_terms(A, ["Shared", f"term{step % 4}"])
    elif op == "job":
        with contextlib.suppress(UserError):
            await store.enqueue_job(A, requested_by=1)
    elif op == "claim":
        await store.claim_job(os.getpid(), guild_id=A)
    elif op == "finish":
        job = await store.open_job(A)
        if job:
            await store.finish_job(A, job.id, succeeded=True, message="ok")
    elif op == "model":
        version = await store.next_model_version(A)
        await store.record_model(
            A, version=version, path=f"/m{version}", promote=step % 2 == 0, metrics={}, reason="", job_id=None
        )
    elif op == "rollback":
        with contextlib.suppress(NotFoundError):
            await store.rollback_model(A)
    elif op == "forget":
        await store.forget_user(A, step % 3)
    elif op == "autocaption":
        await store.set_autocaption(A, step % 2 == 0)
    elif op == "reply_style":
        await store.set_reply_style(A, "text" if step % 2 == 0 else "file")
    elif op == "moderator_role":
        await store.set_moderator_role(A, None if step % 3 == 0 else 1000 + step)
    elif op == "clear_audio":
        await store.clear_audio(A, range(1, 50))
    elif op == "pending":
        await store.add_pending_caption(
            A, channel_id=1, user_id=step % 3, message_id=step, kind="link", label=f"a{step}"
        )
        for pending_id in range(1, 20):  # B's requests have ids in this range too
            await store.remove_pending_caption(A, pending_id)
    elif op == "steal":
        for caption_id in theirs:
            with pytest.raises(NotFoundError):
                await store.get_caption(A, caption_id)
            with pytest.raises(NotFoundError):
                await store.add_correction(
                    A,
                    caption_id=caption_id,
                    user_id=1,
                    kind="text",
                    text="x",
                    cues=[],
                    pairs=[(0.0, 1.0, "x")],
                )


async def _guild_b(store: Store) -> list[int]:
    ids = []
    for n in range(3):
        media_id = await store.add_media(
            B, sha256=f"b{n}", source="y", title="y", duration=5.0, audio_path=f"/b{n}.wav", uploader_id=n
        )
        cue = {"start": 0.0, "end": 1.0, "text": f"b{n}", "words": []}
        caption_id = await store.add_caption(
            B,
            media_id=media_id,
            model_version="base",
            language="en",
            cues=[cue],
            text=f"b{n}",
            requester_id=n,
        )
        await store.add_correction(
            B,
            caption_id=caption_id,
            user_id=n,
            kind="text",
            text=f"bfix{n}",
            cues=[],
            pairs=[(0.0, 1.0, f"bfix{n}")],
        )
        ids.append(caption_id)
    await store.add_terms(B, ["Shared", "OnlyB"], added_by=1)
    await store.enqueue_job(B, requested_by=1)
    await store.record_model(B, version=1, path="/b1", promote=True, metrics={}, reason="", job_id=None)
    await store.set_autocaption(B, False)
    await store.set_reply_style(B, "file")
    for n in range(3):
        await store.add_pending_caption(B, channel_id=2, user_id=n, message_id=n, kind="voice", label="")
    return ids


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(OPERATIONS), min_size=1, max_size=25))
def test_nothing_guild_a_does_reads_or_changes_guild_b(tmp_path_factory, operations):
    async def scenario():
        store = await Store.open(tmp_path_factory.mktemp("iso") / "db.sqlite")
        try:
            theirs = await _guild_b(store)
            before = await _snapshot(store, B, theirs)
            mine: list[int] = []
            for step, op in enumerate(operations):
                await _apply(store, op, step, mine, theirs)
            assert await _snapshot(store, B, theirs) == before
        finally:
            await store.close()

    asyncio.run(scenario())


# --- retention ------------------------------------------------------------------------------------------------


def test_retention_deletes_old_audio_and_keeps_the_captions(tmp_path, make_speech):
    async def scenario():
        config = config_from_dict({"storage": {"data_dir": str(tmp_path / "data"), "retention_days": 30}})
        service = await CaptionService.open(config)
        try:
            result = await service.caption(5, make_speech("Old audio that should expire."))
            await service.correct(5, result.caption_id, user_id=1, text="Old audio that should expire.")
            media = await service.store.get_media(5, result.media_id)
            audio_file = config.data_dir / media.audio_path
            assert media.audio_path == f"audio/5/{media.sha256}.wav"  # relative: any mount point finds it
            assert audio_file.exists() and await service.store.count_pairs(5) == 1
            assert await apply_retention(service.store, service.config.data_dir, 30) == 0  # too young
            removed = await apply_retention(
                service.store, service.config.data_dir, 30, now=time.time() + 31 * DAY
            )
            assert removed == 1 and not audio_file.exists()
            assert (await service.store.get_media(5, result.media_id)).audio_path is None
            assert (await service.store.get_caption(5, result.caption_id)).text  # the caption stays
            assert await service.store.count_pairs(5) == 0  # no audio: no training pair
        finally:
            await service.close()

    asyncio.run(scenario())


# --- two processes writing at once ---------------------------------------------------------------------------

WRITER = """
import asyncio, sys
from pathlib import Path
from bot.core.store import Store

async def main(path, guild, rounds):
    store = await Store.open(Path(path))
    for n in range(rounds):
        await store.add_terms(guild, [f"w{n}"], added_by=None)
        job = await store.enqueue_job(guild, requested_by=None)
        await store.claim_job(1, guild_id=guild)
        await store.heartbeat_job(guild, job, stage="training", progress=n / rounds)
        await store.finish_job(guild, job, succeeded=True, message="ok")
    await store.close()

asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
"""


def test_bot_and_trainer_writing_at_once_never_hit_database_is_locked(tmp_path):
    path = tmp_path / "shared.db"
    rounds = 150

    async def create_schema():
        await (await Store.open(path)).close()

    asyncio.run(create_schema())
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(guild), str(rounds)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for guild in (1, 2, 3)
    ]
    errors = [p.communicate(timeout=300)[1] for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], errors

    async def count():
        store = await Store.open(path)
        try:
            return [len(await store.vocabulary(g)) for g in (1, 2, 3)]
        finally:
            await store.close()

    assert asyncio.run(count()) == [rounds] * 3
