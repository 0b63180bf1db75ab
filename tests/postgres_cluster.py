"""A throwaway PostgreSQL server for tests and benchmarks: its own cluster in a temp folder, on a free loopback port.

Nothing is set up by hand: the binaries come from Debian's `postgresql` package (the Makefile installs it),
and the cluster lives and dies with the folder it is given. initdb refuses to run as root, so as root the
cluster is made and run as the `postgres` user that the package creates.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    """PostgreSQL cannot be started here; the message says why (tests skip with it)."""


def postgres_bin() -> Path:
    """The folder holding initdb and pg_ctl: Debian keeps them out of PATH, under /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not versions:
        raise PostgresUnavailable(
            "PostgreSQL is not installed (apt-get install postgresql; `make deps` does it)"
        )
    return Path(versions[-1]).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _runner() -> tuple[list[str], int | None, int | None]:
    """The command prefix and uid/gid the cluster runs under: ours, or `postgres` when we are root."""
    if os.geteuid() != 0:
        return [], None, None
    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable(
            "running as root and there is no `postgres` user to run initdb as"
        ) from None
    return ["runuser", "-u", "postgres", "--"], user.pw_uid, user.pw_gid


def _run(command: list[str], prefix: list[str]) -> None:
    result = subprocess.run(prefix + command, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        raise PostgresUnavailable(
            f"{Path(command[0]).name} failed: {(result.stderr or result.stdout).strip()}"
        )


class ClusterURL(str):
    """The cluster's URL, which can also stop and start its server (a database that goes away mid-job)."""

    start: Callable[[], None]
    stop: Callable[[], None]
    folder: Path  # the cluster's files (pgdata/ inside): bench/scale.py measures what a round wrote


def self_signed_certificate(folder: Path, name: str = "server") -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (its own CA) and its key, made by the openssl command line."""
    crt, key = folder / f"{name}.crt", folder / f"{name}.key"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
               "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(crt)]  # fmt: skip
    try:
        subprocess.run(command, capture_output=True, check=True, timeout=60)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise PostgresUnavailable(f"openssl could not make a certificate: {exc}") from None
    return crt, key


@contextlib.contextmanager
def throwaway_cluster(tls: tuple[Path, Path] | None = None) -> Iterator[ClusterURL]:
    """Start a fresh cluster and yield its URL (postgresql://postgres@127.0.0.1:PORT/postgres); remove it after.
    With `tls` (a certificate and its key) the server also accepts TLS connections.

    The cluster gets its own temp folder (pytest's are private to root, and the server runs as `postgres`).
    fsync is off: the cluster is thrown away, and durability is not what the tests measure.
    """
    binaries = postgres_bin()
    prefix, uid, gid = _runner()
    folder = Path(tempfile.mkdtemp(prefix="captions-pg-"))
    data, sockets = folder / "pgdata", folder / "sockets"
    sockets.mkdir()
    if uid is not None and gid is not None:
        for path in (folder, sockets):
            os.chown(path, uid, gid)
    _run([str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"], prefix)
    port = free_port()
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    if tls is not None:  # TLS on, with this certificate (the server wants its key private and its own)
        for source, name in zip(tls, ("server.crt", "server.key"), strict=True):
            shutil.copyfile(source, data / name)
            os.chmod(data / name, 0o600)
            if uid is not None and gid is not None:
                os.chown(data / name, uid, gid)
        options += f" -c ssl=on -c ssl_cert_file={data / 'server.crt'} -c ssl_key_file={data / 'server.key'}"
    log = folder / "server.log"
    url = ClusterURL(f"postgresql://postgres@127.0.0.1:{port}/postgres")
    url.folder = folder
    url.start = lambda: _run(
        [str(binaries / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"], prefix
    )
    url.stop = lambda: _run(
        [str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], prefix
    )
    url.start()
    try:
        yield url
    finally:
        with contextlib.suppress(PostgresUnavailable):  # stopped already by its test
            url.stop()
        shutil.rmtree(folder, ignore_errors=True)


def database_url(server_url: str, name: str) -> str:
    """The URL of database `name` on the server of `server_url`."""
    return server_url.rsplit("/", 1)[0] + "/" + name


def create_database(server_url: str, name: str) -> str:
    """Create an empty database on the cluster (its own, so a test starts from nothing) and return its URL."""
    import asyncio

    import asyncpg

    async def create() -> None:
        conn = await asyncpg.connect(server_url)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(create())
    return database_url(server_url, name)
