"""PostgreSQL as the shared store and job queue: trainer workers sharing one queue, a worker killed mid-job,
a database that goes away mid-job, and the database URLs that cannot work.

Everything runs against real PostgreSQL servers on loopback (tests/postgres_cluster.py): the session's
cluster, with a new database per test, or a cluster of the test's own where the test stops the server.
Where PostgreSQL cannot be started these tests skip, saying why.
"""

from __future__ import annotations

import asyncio
import functools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import pytest

from bench.scenario import caption_and_correct
from bot.core.config import load_config
from bot.core.errors import StoreError
from bot.core.store import SCHEMA_VERSION, JobStatus, Store
from tests.cli_runner import run_cli
from tests.postgres_cluster import (
    PostgresUnavailable,
    create_database,
    database_url,
    free_port,
    throwaway_cluster,
)
from trainer.worker import DEAD_WORKER_REASON, LOST_DATABASE_REASON, complete

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "HF_HUB_OFFLINE": "1"}
LONG = 4242  # the guild with corrections enough to train: its job is still running when its worker dies
FAST = list(range(501, 520))  # 19 guilds without corrections: their jobs end at once, with a reason


def write_config(path: Path, data_dir: Path, database: str) -> Path:
    path.write_text(
        f"""
[storage]
data_dir = "{data_dir}"
database = "{database}"

[training]
min_pairs = 2
epochs = 1
min_decision_words = 0
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def pg_config_file(tmp_path: Path, data_dir: Path, postgres_url: str) -> Path:
    return write_config(tmp_path / "config.toml", data_dir, postgres_url)


cli = functools.partial(run_cli, timeout=120)


async def _jobs(url: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetch("SELECT * FROM jobs ORDER BY id")
    finally:
        await conn.close()


async def _enqueue(url: str, guilds: list[int]) -> None:
    store = await Store.open(url)
    try:
        for guild in guilds:
            await store.enqueue_job(guild, requested_by=1)
    finally:
        await store.close()


def _wait_for(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen within {timeout:.0f} s")


# --- two workers, one queue -----------------------------------------------------------------------------


@pytest.mark.timeout(600)
def test_two_workers_run_20_jobs_once_each_and_a_killed_workers_job_is_failed_not_lost(
    pg_config_file, postgres_url, make_speech, tmp_path
):
    """Two `python -m trainer worker` processes on one PostgreSQL queue, no lock file between them. The first
    job trains for real; the worker running it is killed with SIGKILL once its heartbeat shows a stage; the
    other worker fails that job with the dead-worker reason and runs the other 19 (too few pairs: a real,
    quick failure). Every job ends once, by one of the two workers, and no half-built folder stays."""
    config = load_config(pg_config_file)
    texts = ["The Zorblax server restarts tonight.", "Add more Quindle nodes.", "Mervathon runs the stream."]
    asyncio.run(caption_and_correct(config, LONG, [make_speech(t) for t in texts], texts))
    asyncio.run(_enqueue(postgres_url, [LONG, *FAST]))  # the long job first: the first claim takes it
    logs = [(tmp_path / f"worker{n}.log").open("w") for n in range(2)]
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "trainer", "--config", str(pg_config_file), "worker", "--idle-exit", "5"],
            cwd=ROOT,
            env=ENV,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for log in logs
    ]
    try:

        def long_job_in_a_stage():
            rows = asyncio.run(_jobs(postgres_url))
            long = next(r for r in rows if r["guild_id"] == LONG)
            return long if long["status"] == "running" and long["stage"] != "starting" else None

        busy = _wait_for(long_job_in_a_stage, 240, "the long job's heartbeat showing a stage")
        victim = next(w for w in workers if w.pid == busy["worker_pid"])
        survivor = next(w for w in workers if w is not victim)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        assert survivor.wait(timeout=300) == 0  # it ran what was left, then stopped after 5 idle seconds
    finally:
        for worker in workers:
            worker.kill()
            worker.wait()
        for log in logs:
            log.close()
    rows = asyncio.run(_jobs(postgres_url))
    by_guild = {r["guild_id"]: r for r in rows}
    assert len(rows) == 20 and sorted(by_guild) == sorted([LONG, *FAST])
    assert all(r["status"] == JobStatus.FAILED and r["finished_at"] >= r["started_at"] for r in rows)
    assert all(r["worker_pid"] in (victim.pid, survivor.pid) for r in rows)
    assert all(r["worker_host"] for r in rows)
    killed = by_guild[LONG]
    assert killed["worker_pid"] == victim.pid and killed["message"] == DEAD_WORKER_REASON
    for guild in FAST:
        assert "0 training pairs; at least 2 are needed" in by_guild[guild]["message"], by_guild[guild]
    assert any(by_guild[g]["worker_pid"] == survivor.pid for g in FAST)
    models = config.data_dir / "models" / str(LONG)
    assert not list(models.glob(".*"))  # the killed job's half-built version folder was removed


async def test_claims_from_two_stores_at_once_take_each_job_once(postgres_url):
    """Two pools (as two machines would have) claiming 20 jobs concurrently: FOR UPDATE SKIP LOCKED gives
    every job to exactly one claimer, and nobody is refused or blocked."""
    first, second = await Store.open(postgres_url), await Store.open(postgres_url)
    try:
        for guild in range(1, 21):
            await first.enqueue_job(guild, requested_by=None)

        async def drain(store: Store, pid: int) -> list[int]:
            claimed = []
            while (job := await store.claim_job(pid)) is not None:
                claimed.append(job.id)
            return claimed

        a, b = await asyncio.gather(drain(first, 1001), drain(second, 1002))
        rows = await first._all("SELECT id, worker_pid, status FROM jobs ORDER BY id", ())
    finally:
        await first.close()
        await second.close()
    assert sorted(a + b) == [r["id"] for r in rows] and len(set(a + b)) == 20
    assert {r["id"]: r["worker_pid"] for r in rows} == {**dict.fromkeys(a, 1001), **dict.fromkeys(b, 1002)}
    assert {r["status"] for r in rows} == {JobStatus.RUNNING}


# --- the database goes away mid-job ------------------------------------------------------------------------


def _outcome(models: Path, guild: int, version: int):
    """What the pipeline hands the worker at the end of a job: a published, better version folder."""
    from bot.core.transcription.serving import Route, ServingPlan
    from trainer.pipeline import Outcome

    folder = models / str(guild) / f"v{version}" / "model"
    folder.mkdir(parents=True)
    (folder / "model.bin").write_bytes(b"weights")
    reason = "held-out WER 0.500 -> 0.100"
    plan = ServingPlan(Route(f"v{version}"), Route(), reason)
    return Outcome(version, folder, True, reason, plan, {"promoted": True, "reason": reason})


async def test_a_worker_that_lost_the_database_fails_its_job_when_it_is_back(tmp_path):
    """The server stops while a job trains and is still down when the job ends: nothing is published (the
    folder goes, no row), and once the server is back the job is failed with a reason that says so."""
    try:
        cluster_context = throwaway_cluster()
        cluster = cluster_context.__enter__()
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    try:
        url = await asyncio.to_thread(create_database, cluster, "lost")
        models = tmp_path / "models"
        store = await Store.open(url)
        try:
            job = await store.get_job(
                LONG, await store.enqueue_job(LONG, requested_by=1, running_pid=os.getpid())
            )
            await asyncio.to_thread(cluster.stop)
            with pytest.raises(StoreError, match="cannot be used right now"):
                await store.heartbeat_job(LONG, job.id, stage="training", progress=0.5)
            loop = asyncio.get_running_loop()
            loop.call_later(3.0, cluster.start)  # blocks the loop while it starts: fine for a test
            await complete(store, job, _outcome(models, LONG, 1), None, tmp_path)
            ended = await store.get_job(LONG, job.id)
            versions = await store.model_history(LONG)
            active = await store.active_model(LONG)
        finally:
            await store.close()
    finally:
        cluster_context.__exit__(None, None, None)
    assert ended.status == JobStatus.FAILED and ended.message == LOST_DATABASE_REASON
    assert versions == [] and active is None
    assert not (models / str(LONG) / "v1").exists()


# --- database URLs that cannot work ------------------------------------------------------------------------


def test_an_unreachable_database_is_one_line_naming_the_setting(tmp_path):
    """Nothing listens on the port: the bot's and the trainer's CLI say so in one line, exit 2."""
    config_file = write_config(
        tmp_path / "config.toml",
        tmp_path / "data",
        f"postgresql://bot:secret@127.0.0.1:{free_port()}/captions",
    )
    config_file.chmod(0o600)  # as an operator keeps a file with a password (else one warning line more)
    for module, command in (("bot", "retention"), ("trainer", "worker")):
        result = cli(module, config_file, command)
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: [storage] database"), result.stderr
        assert "cannot reach the PostgreSQL server at 127.0.0.1:" in lines[0] and "secret" not in lines[0]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://bot@db:notaport/captions", "[storage] database is not a usable postgresql:// URL"),
        ("postgresql://bot@nosuchhost.invalid/captions", "[storage] database: unknown host in the URL"),
    ],
)
async def test_a_malformed_url_or_unknown_host_is_one_line_naming_the_setting(url, expected):
    with pytest.raises(StoreError) as refused:
        await Store.open(url)
    assert str(refused.value).startswith(expected) and "\n" not in str(refused.value)


async def _uses_tls(url: str) -> bool:
    store = await Store.open(url)
    try:
        return bool(await store._scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", ()))
    finally:
        await store.close()


async def test_the_urls_sslmode_and_certificates_are_honoured(tmp_path, postgres_server):
    """M1: `?sslmode=` and `sslrootcert=` in the URL decide TLS (asyncpg reads them): require encrypts,
    disable does not (control), verify-full checks the server's certificate against the named CA and
    refuses another CA's; a missing CA file, and TLS asked of a server without it, are one line each."""
    from tests.postgres_cluster import self_signed_certificate

    try:
        crt, key = self_signed_certificate(tmp_path)
        other_ca, _ = self_signed_certificate(tmp_path, "other")
        cluster = throwaway_cluster(tls=(crt, key))
        server = cluster.__enter__()
    except PostgresUnavailable as exc:
        pytest.skip(f"no TLS cluster: {exc}")
    try:
        url = await asyncio.to_thread(create_database, server, "tls")
        assert await _uses_tls(f"{url}?sslmode=require")
        assert not await _uses_tls(f"{url}?sslmode=disable")  # control: the same server, in the clear
        assert await _uses_tls(f"{url}?sslmode=verify-full&sslrootcert={crt}")
        with pytest.raises(StoreError) as refused:
            await Store.open(f"{url}?sslmode=verify-full&sslrootcert={other_ca}")
        assert "the server's certificate was refused with sslmode=verify-full" in str(refused.value)
        with pytest.raises(StoreError) as unreadable:
            await Store.open(f"{url}?sslmode=verify-full&sslrootcert={tmp_path / 'missing.crt'}")
        assert "(sslrootcert) cannot be read" in str(unreadable.value)
    finally:
        cluster.__exit__(None, None, None)
    with pytest.raises(StoreError) as plain:  # the session's server has no TLS
        await Store.open(
            f"{await asyncio.to_thread(create_database, postgres_server, 'no_tls')}?sslmode=require"
        )
    assert "the server does not offer TLS, which sslmode=require requires" in str(plain.value)
    for error in (refused, unreadable, plain):
        text = str(error.value)
        assert (
            text.startswith("[storage] database: ") and "\n" not in text and "check the URL's sslmode" in text
        )


async def test_a_database_that_does_not_exist_is_named(postgres_server):
    with pytest.raises(StoreError) as refused:
        await Store.open(database_url(postgres_server, "no_such_db"))
    assert str(refused.value).startswith("[storage] database: the PostgreSQL server at 127.0.0.1:")
    assert "has no database 'no_such_db'" in str(refused.value)


async def test_another_programs_database_is_refused_and_left_as_it_was(postgres_url):
    """A URL naming a database with a `jobs` table of its own: one line, and not one table or row added
    (migration 1 runs in one transaction, so it is all or nothing)."""
    conn = await asyncpg.connect(postgres_url)
    try:
        await conn.execute("CREATE TABLE jobs (id INTEGER PRIMARY KEY, payload TEXT)")
        with pytest.raises(StoreError) as refused:
            await Store.open(postgres_url)
        tables = {
            r[0] for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        }
    finally:
        await conn.close()
    assert str(refused.value).startswith("[storage] database names a PostgreSQL database that already holds")
    assert tables == {"jobs"}


async def test_a_newer_schema_on_postgresql_is_refused(postgres_url):
    store = await Store.open(postgres_url)
    await store._execute("UPDATE caption_bot_schema SET version = ?", (SCHEMA_VERSION + 1,))
    await store.close()
    with pytest.raises(StoreError, match="newer than this program"):
        await Store.open(postgres_url)


# --- the same migrations ----------------------------------------------------------------------------------


async def test_migration_7_gives_a_model_promoted_before_it_its_serving_plan_on_postgresql(postgres_url):
    """A PostgreSQL database at schema 6 with an active model is brought forward as SQLite's would be: the
    model keeps serving, with hotwords on short clips as before."""
    from bot.core.store import migrations

    conn = await asyncpg.connect(postgres_url)
    try:
        async with conn.transaction():
            for statement in migrations.POSTGRES_PRELUDE:
                await conn.execute(statement)
            for number in range(6):
                for statement in migrations.for_postgres(number):
                    await conn.execute(statement)
            await conn.execute("UPDATE caption_bot_schema SET version = 6")
            await conn.execute(
                "INSERT INTO model_versions (guild_id, version, path, status, metrics_json, created_at)"
                " VALUES ($1, 3, '/m3', 'active', '{\"use_hotwords\": true}', 0)",
                2**62,
            )
    finally:
        await conn.close()
    store = await Store.open(postgres_url)
    try:
        plan = await store.serving_plan(2**62)
        version = await store._scalar("SELECT version FROM caption_bot_schema")
    finally:
        await store.close()
    assert version == SCHEMA_VERSION
    assert plan == {
        "short": {"model": "v3", "hint": "hotwords"},
        "long": {"model": "v3", "hint": "none"},
        "reason": "the model promoted before serving plans existed",
    }
