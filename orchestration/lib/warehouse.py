"""Opening the DuckDB warehouse: writers wait for the lock, a corrupt file is named, readers get a published copy.

DuckDB lets one process write a file, and a reader in another process blocks that writer too. So:
- every writer (Dagster steps, `liqmart` commands, dbt) opens the live file through `connect_waiting`, which
  retries a held lock with exponential backoff and jitter up to LIQMART_LOCK_TIMEOUT seconds (default 600),
  says whom it waits for, and past the limit raises `WarehouseLocked` naming the holder;
- after each successful write the file is copied, checkpointed and whole, to
  `<warehouse dir>/published/<name>` and swapped in by rename (`publish`). Analysts, the report, `summary`
  and exports read that copy; a reader never holds the live file's lock and never sees a half-written table;
- a file DuckDB cannot read raises `WarehouseCorrupt`, which names the file and points at `liqmart rebuild`;
- `Warehouse` is the pipeline's resource on it, and batches are loaded here in one transaction each (upsert by
  key), their rejected rows kept in `ops.quarantine`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg
import duckdb
import polars as pl
from dagster_duckdb import DuckDBResource

from orchestration.lib import lake
from orchestration.lib.run_process import tag_run_process
from transforms.errors import SourceError

if TYPE_CHECKING:
    from orchestration.lib.landing import LandedBatch

LOCK_TIMEOUT_ENV = "LIQMART_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT_S = 600.0
# What DuckDB says when another process holds the file, and when the file is not a database it can read.
_LOCKED = ("Could not set lock on file", "Conflicting lock is held")
_CORRUPT = (
    "Could not read enough bytes",
    "not a valid DuckDB database file",
    "Corrupt database file",
    "does not match stored checksum",
    "database file is corrupted",
    "Failed to load metadata",
)
_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)")

log = logging.getLogger("liqmart.warehouse")


class WarehouseLocked(RuntimeError):
    """Another process kept the warehouse past the lock timeout."""

    def __init__(self, path: Path | str, holder: str, waited_s: float):
        self.path, self.holder, self.waited_s = str(path), holder, waited_s
        super().__init__(
            f"the warehouse {path} is still locked by {holder} after waiting {waited_s:.0f} s "
            f"({LOCK_TIMEOUT_ENV} sets the limit). Stop that process or let it finish, then run "
            f"again; analysts read the published copy ({published_path(path)}), never the live file."
        )


class WarehouseCorrupt(RuntimeError):
    """DuckDB cannot read the warehouse file."""

    def __init__(self, path: Path | str, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(
            f"the warehouse file {path} is unreadable ({reason.splitlines()[0][:160]}). "
            f"Run `liqmart rebuild`: it moves this file aside (never overwrites it) and rebuilds the "
            f"warehouse from the landing zone's journal, your imported files included."
        )


def lock_timeout_s() -> float:
    raw = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
    try:
        return float(raw) if raw else DEFAULT_LOCK_TIMEOUT_S
    except ValueError:
        raise ValueError(f"{LOCK_TIMEOUT_ENV} must be a number of seconds, got {raw!r}") from None


def holder_of(message: str) -> str:
    """'PID 1234 (python3.11 -m dagster ...)' from DuckDB's lock error, with the holder's command line."""
    match = _HOLDER.search(message)
    if not match:
        return "another process"
    pid = match["pid"]
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        command = match["program"]
    return f"PID {pid} ({command[:120]})"


def is_locked(error: BaseException) -> bool:
    return isinstance(error, duckdb.Error) and any(s in str(error) for s in _LOCKED)


def is_corrupt(error: BaseException) -> bool:
    return isinstance(error, duckdb.Error) and any(s in str(error) for s in _CORRUPT)


def connect_waiting(
    path: Path | str,
    read_only: bool = False,
    config: dict | None = None,
    timeout_s: float | None = None,
    say: Callable[[str], None] | None = None,
) -> duckdb.DuckDBPyConnection:
    """A connection to `path`, waiting while another process holds the file (backoff with jitter)."""
    timeout_s = lock_timeout_s() if timeout_s is None else timeout_s
    say = say or log.warning
    started = time.monotonic()
    delay, last_said = 0.05, None
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config or {})
        except duckdb.Error as error:
            if is_corrupt(error):
                raise WarehouseCorrupt(path, str(error)) from None
            if not is_locked(error):
                raise
            holder = holder_of(str(error))
            waited = time.monotonic() - started
            if waited >= timeout_s:
                raise WarehouseLocked(path, holder, waited) from None
            if last_said is None or waited - last_said >= 10:
                say(
                    f"waiting for the warehouse {path}: it is locked by {holder}; waited {waited:.0f} s of "
                    f"{timeout_s:.0f} s ({LOCK_TIMEOUT_ENV})"
                )
                last_said = waited
            # Full jitter: writers started together do not retry in step.
            time.sleep(min(random.uniform(0, delay), max(timeout_s - waited, 0.01)))
            delay = min(delay * 2, 2.0)


def published_path(live: Path | str) -> Path:
    live = Path(live)
    return live.parent / "published" / live.name


def publish(conn: duckdb.DuckDBPyConnection, live: Path | str) -> Path | None:
    """Copy the live file, checkpointed, to the published path and swap it in by rename.

    Called while `conn` (a write connection) is open, so no other process can write mid-copy. Skipped when
    the file has not changed since the last copy. Returns the published path when it was refreshed."""
    live = Path(live)
    conn.execute("checkpoint")
    target = published_path(live)
    stamp = target.with_name(target.name + ".source")
    stat = live.stat()
    current = f"{stat.st_size} {stat.st_mtime_ns}"
    if target.exists() and stamp.exists() and stamp.read_text() == current:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        shutil.copyfile(live, tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)  # readers opening from now on see the new copy; open ones keep the old file
    finally:
        tmp.unlink(missing_ok=True)
    stamp.write_text(current)
    return target


@contextmanager
def writing(
    path: Path | str, config: dict | None = None, say: Callable[[str], None] | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A write connection for one operation: waits for the lock, publishes after a successful body, always
    closes. A corrupt file met while working raises WarehouseCorrupt too.

    With the lake set (orchestration/lib/lake.py) the connection is the lake's instead: no file, no lock to wait
    for, nothing to publish (readers read the lake's committed snapshots)."""
    target = lake.configured()
    if target is not None:
        conn = lake.connect(target)
        try:
            yield conn
        finally:
            conn.close()
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = connect_waiting(path, config=config, say=say)
    try:
        yield conn
        publish(conn, path)
    except duckdb.Error as error:
        if is_corrupt(error):
            raise WarehouseCorrupt(path, str(error)) from None
        raise
    finally:
        conn.close()


@contextmanager
def reading(live: Path | str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the published copy of the warehouse at `live` (never the live file), or to
    the lake when it is set."""
    target = lake.configured()
    if target is not None:
        conn = lake.connect(target, read_only=True)
    else:
        path = published_path(live)
        if not path.exists():
            raise FileNotFoundError(f"no published warehouse at {path}: run `liqmart run` (or `make run`) first")
        conn = connect_waiting(path, read_only=True)
    try:
        yield conn
    finally:
        conn.close()


def where(live: Path | str) -> str:
    """What readers read, for messages: the published copy of `live`, or the lake."""
    target = lake.configured()
    return target.describe() if target is not None else str(published_path(live))


def file_sha256(path: Path | str, prefix: bytes = b"") -> str:
    """SHA-256 of `prefix` then the file, read in blocks: memory stays flat for a file of any size."""
    digest = hashlib.sha256(prefix)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sql_path(path: Path | str) -> str:
    """A file path as a DuckDB string literal's contents (single quotes doubled)."""
    return str(path).replace("'", "''")


class Warehouse(DuckDBResource):
    """The live DuckDB warehouse, for the pipeline only. A connection per operation, always closed.

    Each connection waits for the file while another process writes it (LIQMART_LOCK_TIMEOUT; what it waits
    for goes to the `liqmart` Python logger, which dagster.yaml hands to Dagster's event log), and each
    successful operation refreshes the published copy analysts read (orchestration/lib/warehouse.py). Replaces
    dagster-duckdb's `get_connection`, which skips `close()` when the body raises and leaves the file locked.
    """

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        # Every writing step uses this resource: the run's process is recorded before it touches the file.
        tag_run_process(context)

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with writing(self.database, self.connection_config) as conn:
            yield conn


# Writing batches: one transaction per batch, upsert by key, rejected rows kept in quarantine.
OPS_DDL = """
create schema if not exists raw;
create schema if not exists ops;
create table if not exists ops.batches (
    batch_id varchar, family varchar, source varchar, table_name varchar, files varchar,
    rows bigint, ingested_at timestamptz, loaded_at timestamptz, landing_path varchar);
create table if not exists ops.quarantine (
    quarantined_at timestamptz, family varchar, source varchar, file varchar, row_number bigint,
    rule varchar, detail varchar, record varchar, run_id varchar);
"""


def ensure_ops(conn) -> None:
    # On a new lake two writers may create these schemas at once; DuckLake refuses the second commit even with
    # IF NOT EXISTS, and the next try finds them made.
    lake.retrying_conflicts(lambda: conn.execute(OPS_DDL), say=log.warning)


def load_batch(
    conn, table: str, keys: list[str], batch: LandedBatch, family: str, source: str, files: list[str]
) -> int:
    """Upsert the landed batch (the Parquet file, with its batch columns) into raw.<table> atomically;
    returns the table's row count afterwards.

    Re-loading the same batch replaces rows with identical rows, so the table does not change.
    """
    ensure_ops(conn)
    # DuckDB reads the Parquet file itself, streaming: a batch of any size loads without passing through Python.
    batch_rows = f"read_parquet('{sql_path(batch.path)}')"

    def upsert() -> None:
        try:
            conn.execute("begin transaction")
            conn.execute(f"create table if not exists raw.{table} as select * from {batch_rows} limit 0")
            present = conn.execute(
                f"select count(*) from raw.{table} where _batch_id = ?", [batch.batch_id]
            ).fetchone()[0]
            if batch.rows and present == batch.rows:
                # Every row of this batch is in the table as it loaded it (a batch is immutable, its keys unique,
                # and a row is only ever replaced whole): loading it again changes nothing. Its load time stays,
                # so the incremental models (transforms/dbt/macros/incremental_refresh.sql) do not recompute
                # its days for nothing.
                conn.execute("rollback")
                return
            match = " and ".join(f"t.{k} = b.{k}" for k in keys)
            conn.execute(f"delete from raw.{table} t using {batch_rows} b where {match}")
            conn.execute(f"insert into raw.{table} by name select * from {batch_rows}")
            # Delete and insert, not a primary key's upsert: the lake (DuckLake) has no primary keys.
            conn.execute(
                "delete from ops.batches where batch_id = ? and table_name = ?", [batch.batch_id, f"raw.{table}"]
            )
            conn.execute(
                "insert into ops.batches values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    batch.batch_id,
                    family,
                    source,
                    f"raw.{table}",
                    json.dumps(files),
                    batch.rows,
                    batch.ingested_at,
                    datetime.now(timezone.utc),
                    str(batch.path),
                ],
            )
            conn.execute("commit")
        except Exception:
            # A failed commit has already ended the transaction (DuckLake's conflict does): nothing to roll back.
            with suppress(duckdb.Error):
                conn.execute("rollback")
            raise

    # On the lake another process may commit to the same table first; the whole batch is then tried again.
    lake.retrying_conflicts(upsert, say=log.warning)
    return conn.execute(f"select count(*) from raw.{table}").fetchone()[0]


def quarantine(conn, error: SourceError, family: str, run_id: str) -> int:
    """Keep the rejected rows of a refused input; the target table is not touched."""
    ensure_ops(conn)
    rejected = error.rejected.with_columns(
        pl.lit(datetime.now(timezone.utc)).cast(pl.Datetime("us", "UTC")).alias("quarantined_at"),
        pl.lit(family).alias("family"),
        pl.lit(error.source).alias("source"),
        pl.lit(error.file).alias("file"),
        pl.lit(run_id).alias("run_id"),
    )
    conn.register("_rejected", rejected.to_arrow())
    try:
        conn.execute("insert into ops.quarantine by name select * from _rejected")
    finally:
        conn.unregister("_rejected")
    return rejected.height
