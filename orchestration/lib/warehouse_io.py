"""Writing batches into DuckDB: one transaction per batch, upsert by key, rejected rows kept in quarantine."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import polars as pl

from orchestration.lib.storage import LandedBatch
from orchestration.warehouse import sql_path
from transforms.errors import SourceError

OPS_DDL = """
create schema if not exists raw;
create schema if not exists ops;
create table if not exists ops.batches (
    batch_id varchar, family varchar, source varchar, table_name varchar, files varchar,
    rows bigint, ingested_at timestamptz, loaded_at timestamptz, landing_path varchar,
    primary key (batch_id, table_name));
create table if not exists ops.quarantine (
    quarantined_at timestamptz, family varchar, source varchar, file varchar, row_number bigint,
    rule varchar, detail varchar, record varchar, run_id varchar);
"""


def ensure_ops(conn) -> None:
    conn.execute(OPS_DDL)


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
    try:
        conn.execute("begin transaction")
        conn.execute(f"create table if not exists raw.{table} as select * from {batch_rows} limit 0")
        match = " and ".join(f"t.{k} = b.{k}" for k in keys)
        conn.execute(f"delete from raw.{table} t using {batch_rows} b where {match}")
        conn.execute(f"insert into raw.{table} by name select * from {batch_rows}")
        conn.execute(
            "insert or replace into ops.batches values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        conn.execute("rollback")
        raise
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
