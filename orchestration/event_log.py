"""Dagster's sqlite event log with one connection to its index kept open per process (dagster.yaml names it).

Dagster's `SqliteEventLogStorage` opens and closes a sqlite connection for every read and write. A `liqmart
run` writes ~1,100 events and opens the index shard (`history/runs/index.db`, where asset materializations,
check results and planned events are mirrored) ~2,600 times. Closing the last connection to a WAL database
checkpoints it and deletes its WAL file, so each of those writes cost a checkpoint: measured ~0.8 ms an open,
write and close against ~0.4 ms with a connection already open. Keeping one connection to the index open in
each process saves that; sqlite's own locking still serializes writers across processes.

Only the index is pooled. The webserver follows a running run by watching its shard file (`<run_id>.db`) for
changes, which the checkpoint on close produces; a pooled run shard would hide the run's progress in the UI
until sqlite's automatic checkpoint.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME, SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import ConfigurableClassData
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool


class IndexPooledSqliteEventLogStorage(SqliteEventLogStorage):
    """`SqliteEventLogStorage` with its index shard on a pooled connection; configured as Dagster's own
    (`base_dir`, `$DAGSTER_HOME/history/runs` by default)."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._index_engine: Engine | None = None
        self._index_pid: int | None = None
        super().__init__(base_dir, inst_data=inst_data)

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> IndexPooledSqliteEventLogStorage:
        # The config is Dagster's own (`base_dir`); its classmethod builds its own class, not this one.
        return cls(inst_data=inst_data, **config_value)

    def _engine(self) -> Engine:
        # A connection must not cross a fork: a child process makes its own engine.
        if self._index_engine is None or self._index_pid != os.getpid():
            self._index_engine = create_engine(
                self.conn_string_for_shard(INDEX_SHARD_NAME),
                poolclass=QueuePool,
                pool_size=1,
                max_overflow=4,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
            self._index_pid = os.getpid()
        return self._index_engine

    @contextmanager
    def index_connection(self) -> Iterator[Connection]:
        # The same lock as Dagster's own connections: one statement at a time per storage, as before.
        with self._db_lock:
            engine = self._engine()
            if INDEX_SHARD_NAME not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(INDEX_SHARD_NAME)
            with engine.connect() as conn, conn.begin():
                yield conn

    def dispose(self) -> None:
        super().dispose()
        if self._index_engine is not None and self._index_pid == os.getpid():
            self._index_engine.dispose()
        self._index_engine = None
