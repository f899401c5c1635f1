"""What a step's inputs were when it last did its work, so that it does the work again only when they changed.

A fingerprint is a digest of the rows of every table the step reads (order aside: DuckDB's `hash` of each row,
summed, and the row count) and of the code that turns them into its result (the files' bytes). A double enters
the digest as its 12 significant digits: a refresh reads a shorter history than a full build, so a windowed sum
can differ from the full build's in its last bits (the incremental models' equality tests allow 1e-12 of the
value), and that is no change of an input. The step keeps
it in the warehouse beside its result, in `ops.fingerprints`, written in the same transaction as the result:
a warehouse copied, rebuilt or restored carries the fingerprint of exactly the rows it holds, and a step whose
result is missing, or was written by an older version of the code, does its work again. What is kept with the
fingerprint (`kept`, JSON) is the step's to choose: the claim checks keep their Great Expectations outcomes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from orchestration.lib.tables import table_exists

OPS_FINGERPRINTS = """
create schema if not exists ops;
create table if not exists ops.fingerprints (step varchar, fingerprint varchar, recorded_at timestamptz, kept json);
"""


def code_version(paths: Iterable[Path]) -> str:
    """A digest of the files' bytes (each folder: its .py and .csv files), independent of where the clone is."""
    digest = hashlib.sha256()
    for root in paths:
        files = sorted(p for p in root.rglob("*") if p.suffix in (".py", ".csv")) if root.is_dir() else [root]
        for path in files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(conn, tables: Iterable[str], code: str) -> str:
    """The rows of `tables` (schema.name) and the code version, as one digest. A missing table is part of it."""
    digest = hashlib.sha256(code.encode())
    for table in tables:
        row = _row(conn, table)
        rows = conn.execute(f"select count(*), sum(hash(row({row}))) from {table}").fetchone() if row else "missing"
        digest.update(f"{table}:{rows}".encode())
    return digest.hexdigest()


def _row(conn, table: str) -> str:
    """The table's columns in order, each double as the text of its 12 significant digits ('' for no table)."""
    schema, name = table.split(".")
    columns = conn.execute(
        "select column_name, data_type from information_schema.columns where table_schema = ? and table_name = ? "
        "order by ordinal_position",
        [schema, name],
    ).fetchall()
    return ", ".join(
        f"printf('%.12g', \"{c}\")" if kind in ("DOUBLE", "FLOAT", "REAL") else f'"{c}"' for c, kind in columns
    )


def recorded(conn, step: str) -> tuple[str, datetime, object] | None:
    """(fingerprint, when, what was kept) of the step's last recorded work, or None."""
    if not table_exists(conn, "ops.fingerprints"):
        return None
    row = conn.execute(
        "select fingerprint, recorded_at, kept from ops.fingerprints where step = ? order by recorded_at desc limit 1",
        [step],
    ).fetchone()
    return None if row is None else (row[0], row[1], json.loads(row[2]) if row[2] is not None else None)


def record(conn, step: str, digest: str, kept: object = None) -> None:
    """Record the step's fingerprint (replacing its last); inside the caller's transaction when it has one."""
    conn.execute(OPS_FINGERPRINTS)
    conn.execute("delete from ops.fingerprints where step = ?", [step])
    conn.execute(
        "insert into ops.fingerprints values (?, ?, now(), ?)",
        [step, digest, None if kept is None else json.dumps(kept)],
    )
