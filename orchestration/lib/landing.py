"""The files the pipeline reads and keeps: the raw landing zone and its journal, and the bundled snapshot.
Resource types; orchestration/lib/resources.py configures them (the warehouse is orchestration/lib/warehouse.py)."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg
import polars as pl

from orchestration.lib.warehouse import file_sha256


class SnapshotFiles(dg.ConfigurableResource):
    """The snapshot of real data bundled with the code (`data/snapshot/`)."""

    root: str

    def path(self, relative: str) -> Path:
        return Path(self.root) / relative

    def read_bytes(self, relative: str) -> bytes:
        path = self.path(relative)
        if not path.is_file():
            raise FileNotFoundError(f"snapshot file {relative} not found under {self.root}")
        return path.read_bytes()


@dataclass(frozen=True)
class LandedBatch:
    batch_id: str
    path: Path
    ingested_at: datetime
    rows: int


class StagedBatch:
    """Typed chunks appended to one Parquet file under a temporary name (LandingZone.staged)."""

    def __init__(self, batch_id: str, path: Path, source: str, tmp: Path):
        self.batch_id, self.path, self.source, self.tmp = batch_id, path, source, tmp
        self.ingested_at = datetime.now(timezone.utc).replace(microsecond=0)
        self.rows, self._writer, self.batch = 0, None, None

    def write(self, frame: pl.DataFrame) -> None:
        import pyarrow.parquet as pq

        table = frame.with_columns(
            pl.lit(self.source).alias("_source"),
            pl.lit(self.batch_id).alias("_batch_id"),
            pl.lit(self.ingested_at).cast(pl.Datetime("us", "UTC")).alias("_ingested_at"),
        ).to_arrow()
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.tmp, table.schema, compression="zstd")
        self._writer.write_table(table.cast(self._writer.schema))
        self.rows += frame.height

    def commit(self) -> None:
        if self.path.exists():  # landed before: the batch is immutable
            existing = pl.read_parquet(self.path, columns=["_ingested_at"], n_rows=1)
            ingested_at = existing["_ingested_at"][0] if existing.height else self.ingested_at
            rows = pl.scan_parquet(self.path).select(pl.len()).collect().item()
            self.batch = LandedBatch(self.batch_id, self.path, ingested_at, rows)
            return
        if self._writer is None:
            raise ValueError(f"batch {self.batch_id[:12]} has no rows to land")
        self._writer.close()
        self._writer = None
        # Renamed only once complete, so a crash never leaves a half-written batch under its real name.
        os.replace(self.tmp, self.path)
        self.batch = LandedBatch(self.batch_id, self.path, self.ingested_at, self.rows)

    def discard(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        self.tmp.unlink(missing_ok=True)


JOURNAL = "journal.jsonl"  # under the landing root: every batch loaded, in order (see LandingZone.record)


class LandingZone(dg.ConfigurableResource):
    """Immutable Parquet batches under `<warehouse>/landing/<family>/<checksum>.parquet`.

    The batch id is the SHA-256 of the source payloads, so landing the same input twice finds the batch
    already there and returns it unchanged (same ingested_at, same rows).
    """

    root: str

    @staticmethod
    def checksum(payloads: dict[str, bytes]) -> str:
        digest = hashlib.sha256()
        for name in sorted(payloads):
            digest.update(name.encode())
            digest.update(b"\0")
            digest.update(payloads[name])
        return digest.hexdigest()

    @staticmethod
    def checksum_file(name: str, path: Path) -> str:
        """`checksum({name: path.read_bytes()})`, read in blocks: the same file lands as the same batch however
        it arrives."""
        return file_sha256(path, prefix=name.encode() + b"\0")

    def land(self, family: str, source: str, payloads: dict[str, bytes], frame: pl.DataFrame) -> LandedBatch:
        with self.staged(family, source, self.checksum(payloads)) as stage:
            stage.write(frame)
        return stage.batch

    @contextmanager
    def staged(self, family: str, source: str, batch_id: str) -> Iterator[StagedBatch]:
        """A batch written chunk by chunk beside its final name and renamed into place when the block ends
        without an error; an error (a refused file, a crash) leaves no batch behind. A batch already landed
        (same checksum) is kept as it is: same ingested_at, same rows."""
        path = Path(self.root) / family / f"{batch_id}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        stage = StagedBatch(batch_id, path, source, path.with_name(f".{batch_id}.{uuid.uuid4().hex}.tmp"))
        try:
            yield stage
            stage.commit()
        finally:
            stage.discard()

    @property
    def journal_path(self) -> Path:
        return Path(self.root) / JOURNAL

    def record(self, batch: LandedBatch, table: str, source: str, files: list[str]) -> None:
        """Append the batch to the journal before it is loaded: `liqmart rebuild` replays the journal, in order,
        without the warehouse file. One short line per append (O_APPEND), so concurrent writers never tear one."""
        entry = {
            "batch_id": batch.batch_id,
            "table": table,
            "source": source,
            "files": files,
            "rows": batch.rows,
            "ingested_at": batch.ingested_at.isoformat(),
            "path": str(batch.path.relative_to(self.root)),
            "recorded_at": datetime.now(timezone.utc).isoformat(),
        }
        self.journal_path.parent.mkdir(parents=True, exist_ok=True)
        line = (json.dumps(entry, separators=(",", ":")) + "\n").encode()
        fd = os.open(self.journal_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)

    def journal(self) -> list[dict]:
        """Every recorded batch in the order it was loaded; a torn last line (a crash mid-append) is skipped."""
        if not self.journal_path.exists():
            return []
        entries = []
        for line in self.journal_path.read_text().splitlines():
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return entries
