"""Operations: the trainer's cleanup, promotion races, one-transaction results, orphan audio, permissions,
retrain limits. Real processes, real SQLite files, real folders."""

from __future__ import annotations

import asyncio
import functools
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.config import load_config
from bot.core.errors import NotFoundError, StoreError
from bot.core.store import JobStatus, ModelStatus, Store
from tests.cli_runner import run_cli

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "HF_HUB_OFFLINE": "1"}

HOLDER = """
import asyncio, os, sys
from pathlib import Path
import pytest

from bot.core.config import load_config
from bot.core.errors import StoreError
from bot.core.store import JobStatus, ModelStatus, Store
from bot.core.store import Store
from trainer.worker import worker_lock

config = load_config(sys.argv[1])
guild = int(sys.argv[2])

async def claim():
    store = await Store.open(config.database_path)
    await store.enqueue_job(guild, requested_by=None, running_pid=os.getpid())
    await store.close()

asyncio.run(claim())
building = config.data_dir / "models" / str(guild) / ".v1.tmp"
building.mkdir(parents=True)
(building / "adapter.bin").write_bytes(b"weights")
with worker_lock(config.data_dir) as mine:
    print("locked" if mine else "not locked", flush=True)
    sys.stdin.readline()
print("unlocked", flush=True)
sys.stdin.readline()
"""


trainer_cli = functools.partial(run_cli, "trainer")


def test_trainer_run_never_deletes_a_running_jobs_folder(config_file):
    """Process 1 builds guild 1's version folder; process 2 (`trainer run`) cleans only what is dead."""
    config = load_config(config_file)
    models = config.data_dir / "models"
    stale = models / "2" / ".v3.tmp"  # left by a worker that died
    stale.mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(config_file), "1"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=ENV,
    )
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "locked"
        first = trainer_cli(config_file, "run", "--guild", "9")  # too few pairs: a quick, failed job
        assert first.returncode == 2, first.stderr
        assert (models / "1" / ".v1.tmp" / "adapter.bin").exists()
        assert stale.exists()  # the lock is held: no cleanup at all
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "unlocked"
        second = trainer_cli(config_file, "run", "--guild", "9")
        assert second.returncode == 2, second.stderr
        assert (models / "1" / ".v1.tmp" / "adapter.bin").exists()  # its job still runs
        assert not stale.exists()  # no job for guild 2: removed under the lock
    finally:
        holder.kill()
        holder.wait()
    db = sqlite3.connect(config.database_path)
    running = db.execute("SELECT guild_id FROM jobs WHERE status = 'running'").fetchall()
    db.close()
    assert running == [(1,)]


# --- recording a retrain's outcome ---------------------------------------------------------------------------

G = 77


async def _promoted(store: Store, models: Path, version: int) -> None:
    folder = models / str(G) / f"v{version}" / "model"
    folder.mkdir(parents=True)
    await store.record_model(
        G, version=version, path=str(folder), promote=True, metrics={}, reason="better", job_id=None
    )


def _outcome(models: Path, version: int):
    """What the pipeline hands the worker: a published, better version folder."""
    from bot.core.transcription.serving import Route, ServingPlan
    from trainer.pipeline import Outcome

    folder = models / str(G) / f"v{version}" / "model"
    folder.mkdir(parents=True)
    (folder / "model.bin").write_bytes(b"weights")
    reason = "held-out WER 0.500 -> 0.100"
    plan = ServingPlan(Route(f"v{version}"), Route(), reason)
    return Outcome(
        version, folder, True, reason, plan, {"promoted": True, "reason": reason, "version": version}
    )


async def test_a_retrain_started_before_a_rollback_does_not_undo_it(config):
    from trainer.worker import complete

    models = config.data_dir / "models"
    store = await Store.open(config.database_path)
    try:
        await _promoted(store, models, 1)
        await _promoted(store, models, 2)
        job = await store.get_job(G, await store.enqueue_job(G, requested_by=1, running_pid=os.getpid()))
        active_at_start = await store.active_model(G)  # what the worker reads before training
        await store.rollback_model(G)  # a moderator's /rollback while the job trains
        await complete(store, job, _outcome(models, 3), active_at_start, config.data_dir)
        active = await store.active_model(G)
        finished = await store.get_job(G, job.id)
        versions = [m.version for m in await store.model_history(G)]
    finally:
        await store.close()
    assert active is not None and active.version == 1  # the rollback stands
    assert finished.status == JobStatus.FAILED
    assert finished.message.startswith("the server's model changed while this retrain ran (rollback)")
    assert versions == [2, 1]  # no row for v3 ...
    assert not (models / str(G) / "v3").exists()  # ... and no folder


async def test_without_a_rollback_the_same_retrain_promotes(config):
    from trainer.worker import complete

    models = config.data_dir / "models"
    store = await Store.open(config.database_path)
    try:
        await _promoted(store, models, 1)
        job = await store.get_job(G, await store.enqueue_job(G, requested_by=1, running_pid=os.getpid()))
        await complete(store, job, _outcome(models, 2), await store.active_model(G), config.data_dir)
        active = await store.active_model(G)
        finished = await store.get_job(G, job.id)
    finally:
        await store.close()
    assert active is not None and active.version == 2
    assert finished.status == JobStatus.SUCCEEDED and finished.result == {
        "promoted": True,
        "reason": "held-out WER 0.500 -> 0.100",
        "version": 2,
    }


async def test_a_failure_finishing_the_job_rolls_back_the_promotion(config):
    """A constraint that refuses the job's end: the promotion goes with it, the job is failed, not left
    running next to a promoted model."""
    from trainer.worker import complete

    models = config.data_dir / "models"
    store = await Store.open(config.database_path)
    db = sqlite3.connect(config.database_path)
    db.execute(
        "CREATE TRIGGER refuse_success BEFORE UPDATE OF status ON jobs WHEN NEW.status = 'succeeded'"
        " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
    )
    db.commit()
    try:
        await _promoted(store, models, 1)
        job = await store.get_job(G, await store.enqueue_job(G, requested_by=1, running_pid=os.getpid()))
        active_at_start = await store.active_model(G)
        outcome = _outcome(models, 2)
        with pytest.raises(StoreError):
            await store.complete_retrain(
                G,
                job.id,
                version=2,
                path=str(outcome.model_path),
                promote=True,
                metrics=outcome.result,
                reason=outcome.reason,
                started_from=active_at_start.id if active_at_start else None,
            )
        rows = db.execute("SELECT version, status FROM model_versions ORDER BY version").fetchall()
        assert rows == [(1, ModelStatus.ACTIVE)]  # v2 not promoted, v1 not retired
        assert (await store.get_job(G, job.id)).status == JobStatus.RUNNING
        await complete(
            store, job, outcome, active_at_start, config.data_dir
        )  # what the worker does with that error
        finished = await store.get_job(G, job.id)
        rows = db.execute("SELECT version, status FROM model_versions ORDER BY version").fetchall()
    finally:
        db.close()
        await store.close()
    assert rows == [(1, ModelStatus.ACTIVE)]
    assert finished.status == JobStatus.FAILED and "could not be recorded" in finished.message
    assert not (models / str(G) / "v2").exists()


# --- orphan audio --------------------------------------------------------------------------------------------


bot_cli = functools.partial(run_cli, "bot")


async def test_retention_deletes_audio_no_row_names_and_spares_young_files(config, config_file):
    """A crash between the rename into data/audio/<guild>/ and the media row leaves a file nothing names."""
    folder = config.data_dir / "audio" / "5"
    folder.mkdir(parents=True)
    kept, orphan, young = folder / "kept.wav", folder / "orphan.wav", folder / "young.wav"
    for f in (kept, orphan, young):
        f.write_bytes(b"RIFF")
    long_ago = os.stat(kept).st_mtime - 3600
    for f in (kept, orphan):
        os.utime(f, (long_ago, long_ago))
    store = await Store.open(config.database_path)
    try:
        await store.add_media(
            5, sha256="k", source="x", title="t", duration=1.0, audio_path=str(kept), uploader_id=1
        )
    finally:
        await store.close()
    result = await asyncio.to_thread(bot_cli, config_file, "retention")
    assert result.returncode == 0, result.stderr
    assert "1 audio file(s) no recording refers to" in result.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["kept.wav", "young.wav"]


# --- permissions and the token -------------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_data_database_logs_audio_and_models_are_owner_only(config, config_file, make_speech):
    """A fresh data folder under the usual umask 022: what the bot and the trainer create is 0700/0600."""
    spoken_clip = make_speech("The Zorblax server restarts tonight.")
    captioned = bot_cli(config_file, "caption", str(spoken_clip))
    assert captioned.returncode == 0, captioned.stderr
    trained = trainer_cli(config_file, "run", "--guild", "9")  # fails for want of pairs, after logging it
    assert trained.returncode == 2, trained.stderr
    data = config.data_dir
    audio = next((data / "audio").glob("*/*.wav"))
    folders = [data, data / "logs", data / "audio", audio.parent]
    files = [config.database_path, data / "logs" / "trainer.log", audio]
    assert {str(p): _mode(p) for p in folders} == {str(p): 0o700 for p in folders}
    assert {str(p): _mode(p) for p in files} == {str(p): 0o600 for p in files}


def test_a_token_in_a_config_others_can_read_is_warned_about_once(config_file):
    with config_file.open("a", encoding="utf-8") as f:
        f.write('\n[discord]\ntoken = "not-a-real-token"\n')
    config_file.chmod(0o644)
    loose = bot_cli(config_file, "retention")
    config_file.chmod(0o600)
    tight = bot_cli(config_file, "retention")
    assert loose.returncode == tight.returncode == 0
    warnings = [line for line in loose.stderr.splitlines() if "other users can read it" in line]
    assert len(warnings) == 1 and "chmod 600" in warnings[0] and "not-a-real-token" not in loose.stderr
    assert "other users can read it" not in tight.stderr


def test_a_database_password_in_a_config_others_can_read_is_warned_about(config_file):
    """L1: the config names a PostgreSQL URL with a password (nothing listens there): one warning naming the
    password's presence, and neither it nor the connection error ever shows the password."""
    url = "postgresql://captions:s3cret-pw@127.0.0.1:1/captions"
    config_file.write_text(
        config_file.read_text().replace("[storage]\n", f'[storage]\ndatabase = "{url}"\n', 1)
    )
    config_file.chmod(0o644)
    loose = bot_cli(config_file, "retention")
    warnings = [line for line in loose.stderr.splitlines() if "other users can read it" in line]
    assert len(warnings) == 1 and "a database password" in warnings[0] and "chmod 600" in warnings[0]
    assert "s3cret-pw" not in loose.stderr + loose.stdout, loose.stderr


async def test_the_trainer_child_does_not_inherit_the_discord_token(config, monkeypatch):
    from bot.discord_app.trainer_process import TrainerProcess

    monkeypatch.setenv("DISCORD_TOKEN", "token-of-the-bot")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    process = TrainerProcess(config, idle_exit=30)
    assert await process.ensure_running()
    try:
        assert process.pid is not None
        environ = Path(f"/proc/{process.pid}/environ").read_bytes().split(b"\0")
    finally:
        await process.stop()
    assert b"HF_HUB_OFFLINE=1" in environ  # the rest of the environment is passed on
    assert not [v for v in environ if v.startswith(b"DISCORD_TOKEN=")]


# --- retrain limits ------------------------------------------------------------------------------------------


async def test_a_second_retrain_within_the_cooldown_is_refused_naming_when(config):
    from bot.core.errors import BusyError

    cooldown = config.training.retrain_cooldown_minutes * 60
    store = await Store.open(config.database_path)
    try:
        first = await store.enqueue_job(G, requested_by=1, cooldown_seconds=cooldown)
        await store.finish_job(G, first, succeeded=False, message="too few pairs")
        with pytest.raises(BusyError) as refused:
            await store.enqueue_job(G, requested_by=1, cooldown_seconds=cooldown)
        other_server = await store.enqueue_job(G + 1, requested_by=1, cooldown_seconds=cooldown)
        no_cooldown = await store.enqueue_job(G, requested_by=1, cooldown_seconds=0)
        jobs = await asyncio.gather(store.get_job(G + 1, other_server), store.get_job(G, no_cooldown))
    finally:
        await store.close()
    assert config.training.retrain_cooldown_minutes == 10  # the default
    assert "once every 10 minutes; try again at " in str(refused.value)
    assert "UTC (in about 10 min)" in str(refused.value)
    assert [j.status for j in jobs] == [JobStatus.QUEUED, JobStatus.QUEUED]


# --- old version folders ------------------------------------------------------------------------------------


async def _version_folder(store: Store, models: Path, version: int) -> Path:
    """A promoted version as the pipeline publishes it: weights, metrics and a model card."""
    folder = models / str(G) / f"v{version}"
    for weights, name in (("model", "model.bin"), ("adapter", "adapter_model.safetensors")):
        (folder / weights).mkdir(parents=True)
        (folder / weights / name).write_bytes(b"weights")
    (folder / "metrics.json").write_text(json.dumps({"version": version}))
    (folder / "README.md").write_text(f"# v{version}")
    await store.record_model(
        G, version=version, path=str(folder / "model"), promote=True, metrics={}, reason="better", job_id=None
    )
    return folder


def _with_weights(models: Path) -> list[int]:
    return sorted(
        int(f.name[1:])
        for f in (models / str(G)).glob("v*")
        if (f / "model").exists() or (f / "adapter").exists()
    )


async def test_old_versions_lose_their_weights_and_rollback_never_reaches_them(config):
    """7 promoted versions: the active one, the one /rollback returns to and 3 more keep their weights; the
    2 oldest keep only metrics.json and README.md. The next promotion prunes one more, and /rollback walks
    back through the kept ones and then refuses instead of serving a folder without weights."""
    from trainer.worker import complete, prune_old_versions

    models = config.data_dir / "models"
    store = await Store.open(config.database_path)
    try:
        folders = [await _version_folder(store, models, v) for v in range(1, 8)]
        removed = await prune_old_versions(store, G, config.data_dir)
        kept_after_seven = _with_weights(models)
        again = await prune_old_versions(store, G, config.data_dir)
        job = await store.get_job(G, await store.enqueue_job(G, requested_by=1, running_pid=os.getpid()))
        await complete(
            store, job, _outcome(models, 8), await store.active_model(G), config.data_dir
        )  # prunes v3
        kept_after_eight = _with_weights(models)
        walked_back = [(await store.rollback_model(G)).version for _ in range(4)]
        with pytest.raises(NotFoundError) as refused:
            await store.rollback_model(G)
        active = await store.active_model(G)
        rolled_back = await prune_old_versions(store, G, config.data_dir)  # M5: never served again
        kept_after_rollbacks = _with_weights(models)
    finally:
        await store.close()
    assert sorted(p.parent.name for p in removed) == ["v1", "v1", "v2", "v2"] and again == []
    assert kept_after_seven == [3, 4, 5, 6, 7]
    assert kept_after_eight == [4, 5, 6, 7, 8]
    assert all((f / "metrics.json").exists() and (f / "README.md").exists() for f in folders)
    assert walked_back == [7, 6, 5, 4]
    assert str(refused.value) == (
        "v3, the version before v4, no longer has its weights (a server keeps its 5 newest models to save"
        " disk); v4 stays active"
    )
    assert active is not None and active.version == 4
    # the 4 rolled-back versions (rejected: /rollback never returns to one) lose their weights too
    assert sorted({p.parent.name for p in rolled_back}) == ["v5", "v6", "v7", "v8"] and len(rolled_back) == 7
    assert kept_after_rollbacks == [4]  # the active one keeps them (v8 had no adapter: 7 folders, not 8)


async def test_retrain_then_roll_back_again_and_again_keeps_one_rolled_back_model_on_disk(config):
    """M5: the spam loop "retrain, /rollback" every cooldown. Each job's end prunes what was rolled back
    before it, so the disk holds the base's active version and at most the newest rolled-back one."""
    from trainer.worker import complete

    models = config.data_dir / "models"
    store = await Store.open(config.database_path)
    kept = []
    try:
        await _version_folder(store, models, 1)
        for version in range(2, 6):  # v1 stays in the kept window (5 newest promoted) to roll back to
            job = await store.get_job(G, await store.enqueue_job(G, requested_by=1, running_pid=os.getpid()))
            await complete(
                store, job, _outcome(models, version), await store.active_model(G), config.data_dir
            )
            assert (await store.rollback_model(G)).version == 1
            kept.append(_with_weights(models))
    finally:
        await store.close()
    assert kept == [[1, 2], [1, 3], [1, 4], [1, 5]]  # before M5: [1, 2], [1, 2, 3], … every one kept


async def test_a_server_past_its_model_disk_quota_cannot_start_a_retrain(config, tmp_path):
    """M5: [training] max_model_disk_mb bounds one server's model folders: past it (after pruning) the job
    fails before training, naming the setting, with no new version; another server is not counted."""
    from dataclasses import replace

    from trainer.worker import model_disk_over_quota, run_job

    models = config.data_dir / "models"
    store = await Store.open(config.database_path)
    try:
        folder = await _version_folder(store, models, 1)
        (folder / "model" / "model.bin").write_bytes(b"w" * 3_000_000)  # 3 MB of weights
        tight = replace(config, training=replace(config.training, max_model_disk_mb=2.0))
        assert model_disk_over_quota(tight, G + 1) is None  # another server's folders are its own
        assert (
            model_disk_over_quota(
                replace(config, training=replace(config.training, max_model_disk_mb=4.0)), G
            )
            is None
        )
        job = await store.get_job(G, await store.enqueue_job(G, requested_by=1, running_pid=os.getpid()))
        ended = await run_job(tight, store, job)
        versions = [m.version for m in await store.model_history(G)]
    finally:
        await store.close()
    assert ended.status == JobStatus.FAILED, ended.message
    assert ended.message == (
        "this server's models take 3 MB, and [training] max_model_disk_mb = 2 allows 2 MB per server;"
        " nothing was changed"
    )
    assert versions == [1] and sorted(p.name for p in (models / str(G)).iterdir()) == ["v1"]


# --- shared storage: a trainer on machine B, the bot on machine A --------------------------------------------

MACHINE_B = """
import asyncio, os, sys
from bot.core.config import load_config
from bot.core.transcription.serving import Route, ServingPlan
from bot.core.store import Store
from trainer.dataset import load_clips
from trainer.export import export_ct2
from trainer.pipeline import Outcome, _publish, base_weights
from trainer.worker import complete, training_pairs

config = load_config(sys.argv[1])
guild = int(sys.argv[2])

async def main():
    store = await Store.open(config.database_path)
    try:
        job = await store.get_job(guild, await store.enqueue_job(guild, requested_by=None, running_pid=os.getpid()))
        clips, skipped = load_clips(await training_pairs(config, store, guild))  # the audio A stored
        print(f"clips {len(clips)} skipped {len(skipped)}", flush=True)
        version = await store.next_model_version(guild)
        folder = config.data_dir / "models" / str(guild)
        work = folder / f".v{version}.tmp"
        base_hf, base_ct2 = base_weights(config)
        export_ct2(base_hf, work / "model", base_ct2_dir=base_ct2)  # exported as a merged model is
        _publish(work, folder / f"v{version}")
        reason = "held-out WER 0.300 -> 0.100"
        plan = ServingPlan(Route(f"v{version}"), Route(), reason)
        outcome = Outcome(version, folder / f"v{version}" / "model", True, reason, plan, {"promoted": True})
        await complete(store, job, outcome, None, config.data_dir)
        print("published", outcome.model_path, flush=True)
    finally:
        await store.close()

asyncio.run(main())
"""


async def test_a_model_promoted_on_machine_b_is_served_by_the_bot_on_machine_a(tmp_path, make_speech):
    """One data_dir, two mount points: the bot (A) sees it at shared/, the trainer (B) through another path,
    with its own config and the same database. B reads the audio A stored, exports and promotes a model with
    the worker's own code; A's next caption is served by it. Then B's mount point goes away: the rows name
    nothing only B could reach."""
    from bot.core.config import config_from_dict
    from bot.service import CaptionService

    shared = tmp_path / "shared"
    mount_b = tmp_path / "machine-b" / "mnt"
    mount_b.parent.mkdir()
    mount_b.symlink_to(shared, target_is_directory=True)
    a = config_from_dict({"storage": {"data_dir": str(shared)}, "training": {"min_pairs": 1}})
    config_b = tmp_path / "machine-b" / "config.toml"
    config_b.write_text(
        f'[storage]\ndata_dir = "{mount_b}"\ndatabase = "{mount_b / "captions.db"}"\n', encoding="utf-8"
    )
    guild, text = 31, "The Zorblax server restarts tonight."
    service = await CaptionService.open(a)
    try:
        first = await service.caption(guild, make_speech(text))
        await service.correct(guild, first.caption_id, user_id=1, text=text)
        b = await asyncio.create_subprocess_exec(
            sys.executable, "-c", MACHINE_B, str(config_b), str(guild),
            cwd=ROOT, env=ENV, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(b.communicate(), 300)
        assert b.returncode == 0, err.decode()[-2000:]
        mount_b.unlink()  # machine B unmounts: only A's path to the files is left
        second = await service.caption(guild, make_speech(text))
        served = service.engine.loaded
        stored = await service.store.active_model(guild)
    finally:
        await service.close()
    assert out.decode().startswith("clips 1 skipped 0")
    assert first.model_version == "base" and second.model_version == "v1"
    assert stored is not None and stored.path == f"models/{guild}/v1/model"
    assert str(shared / "models" / str(guild) / "v1" / "model") in served
    assert second.text.strip()  # a real transcript, by the model B exported
