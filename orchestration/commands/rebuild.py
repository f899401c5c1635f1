"""`liqmart rebuild`: a new warehouse from the landing zone's journal, without the file it replaces.

The journal (landing/journal.jsonl) lists every batch in the order it was loaded, user imports included, and is
written before each load commits. Replaying it into an empty file gives the raw tables back; the marts are then
rebuilt by the pipeline. raw.claims is written again from the registered claim files. The old file, readable
or not, is moved aside with its WAL, never overwritten. On the lake the journal is replayed into the lake.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from orchestration.lib import lake
from orchestration.lib.claims_data import write_raw_claims
from orchestration.lib.landing import LandedBatch, LandingZone
from orchestration.lib.raw_tables import RAW_TABLES
from orchestration.lib.warehouse import (
    WarehouseCorrupt,
    connect_waiting,
    ensure_ops,
    is_corrupt,
    load_batch,
    writing,
)


class NothingToRebuild(RuntimeError):
    pass


def replay(landing: LandingZone, target: Path, advance: Callable[[], None] = lambda: None) -> dict[str, int]:
    """Load every journaled batch into the new file `target`, in journal order; rows per raw table."""
    with duckdb.connect(str(target)) as conn:
        return replay_into(conn, landing, advance)


def replay_into(conn, landing: LandingZone, advance: Callable[[], None] = lambda: None) -> dict[str, int]:
    """Load every journaled batch through `conn`, in journal order (each an idempotent upsert by key)."""
    entries = landing.journal()
    if not entries:
        raise NothingToRebuild(
            f"the landing zone's journal {landing.journal_path} is empty or missing: "
            f"there is nothing to rebuild from (run `liqmart run` to load the bundled data)"
        )
    missing = [e["path"] for e in entries if not (Path(landing.root) / e["path"]).exists()]
    if missing:
        raise NothingToRebuild(
            f"{len(missing)} journaled batch file(s) are missing from {landing.root}, "
            f"first {missing[0]}: the landing zone is not whole"
        )
    ensure_ops(conn)
    for entry in entries:
        spec = RAW_TABLES[entry["table"]]
        batch = LandedBatch(
            entry["batch_id"],
            Path(landing.root) / entry["path"],
            datetime.fromisoformat(entry["ingested_at"]),
            entry["rows"],
        )
        load_batch(conn, spec.name, spec.keys, batch, spec.name, entry["source"], entry["files"])
        advance()
    # The claim files are the landing zone of raw.claims: the bundled articles and those `liqmart claims add`
    # registered (beside the warehouse, never inside it), so the ledger comes back with the rest.
    write_raw_claims(conn)
    return {
        name: conn.execute(f"select count(*) from raw.{name}").fetchone()[0]
        for (name,) in conn.execute(
            "select table_name from information_schema.tables where table_schema = 'raw' order by 1"
        ).fetchall()
    }


def move_aside(live: Path, why: str) -> Path | None:
    """Rename the live file (and its WAL) to `<name>.<why>-<UTC time>`; returns the new path."""
    if not live.exists():
        return None
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    aside = live.with_name(f"{live.name}.{why}-{stamp}")
    os.replace(live, aside)
    wal = live.with_name(live.name + ".wal")
    if wal.exists():
        os.replace(wal, aside.with_name(aside.name + ".wal"))
    return aside


def readable(live: Path) -> bool:
    """True when DuckDB opens the file and reads every table (waiting for a writer to finish); False when
    it is corrupt. A torn file often opens and fails only when a table's blocks are read."""
    try:
        conn = connect_waiting(live)
    except WarehouseCorrupt:
        return False
    try:
        for schema, table in conn.execute("select schema_name, table_name from duckdb_tables()").fetchall():
            conn.execute(f'select * from "{schema}"."{table}"').fetchall()
        return True
    except duckdb.Error as error:
        if is_corrupt(error):
            return False
        raise
    finally:
        conn.close()


def rebuild_raw(
    live: Path, landing: LandingZone, advance: Callable[[], None] = lambda: None
) -> tuple[dict[str, int], Path | None]:
    """Replay the journal into a new file beside the live one, then swap it in; (rows per table, old file).

    On the lake there is no file to replace: the journal is replayed into the lake itself, each batch an upsert
    that leaves a row already there as it is and puts back one that is missing."""
    if lake.configured() is not None:
        with writing(live) as conn:
            return replay_into(conn, landing, advance), None
    work = live.parent / f".rebuild-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        fresh = work / live.name  # same name: dbt's manifest names the catalog after the file
        counts = replay(landing, fresh, advance)
        aside = move_aside(live, "replaced" if live.exists() and readable(live) else "corrupt")
        os.replace(fresh, live)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return counts, aside
