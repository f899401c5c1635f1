"""Dagster's sqlite event log with its connections kept open per process (dagster.yaml names it).

Dagster's `SqliteEventLogStorage` opens and closes a sqlite connection for every read and write. A `liqmart
run` writes ~1,100 events to its run's shard (`history/runs/<run_id>.db`) and opens the index shard
(`history/runs/index.db`, where asset materializations, check results and planned events are mirrored)
~2,600 times. Closing the last connection to a WAL database checkpoints it and deletes its WAL file, so each
write cost a checkpoint: measured ~0.8 ms an open, write and close against ~0.4 ms with a connection already
open, and ~7 s of a ~31 s `liqmart run` on this project's 2-core machine. Here each process keeps one
connection per shard open (the index and the runs it touched last); sqlite's own locking still serializes
writers across processes, and every commit is visible to other processes at once.

With the run shard held open, a run's writes land in `<run_id>.db-wal` and the shard file itself changes only
at a checkpoint. The webserver follows a running run by watching the shard file for changes, so each stored
event touches it: the UI shows a run's progress live, as before, with Dagster's own watcher.
"""

from __future__ import annotations

import contextlib
import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SqliteEventLogStorage,
)
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import ConfigurableClassData
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool

# The webserver reads many runs' shards; a process keeps this many run shards open, the oldest closed first.
OPEN_RUN_SHARDS = 8


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """`SqliteEventLogStorage` with a connection per shard kept open; configured as Dagster's own (`base_dir`,
    `$DAGSTER_HOME/history/runs` by default), its files the same."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._engines_pid = os.getpid()
        super().__init__(base_dir, inst_data=inst_data)

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> PooledSqliteEventLogStorage:
        # The config is Dagster's own (`base_dir`); its classmethod builds its own class, not this one.
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        # A connection must not cross a fork: a child process makes its own engines.
        if self._engines_pid != os.getpid():
            self._engines = OrderedDict()
            self._engines_pid = os.getpid()
        engine = self._engines.get(shard)
        if engine is None:
            engine = self._engines[shard] = create_engine(
                self.conn_string_for_shard(shard),
                poolclass=QueuePool,
                pool_size=1,
                max_overflow=4,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
            run_shards = [name for name in self._engines if name != INDEX_SHARD_NAME]
            for oldest in run_shards[: max(0, len(run_shards) - OPEN_RUN_SHARDS)]:
                self._engines.pop(oldest).dispose()
        self._engines.move_to_end(shard)
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        # Dagster's own, with the engine kept: the same lock (one statement at a time per storage) and the
        # same first-use creation of the shard's tables.
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def store_event(self, event: EventLogEntry) -> None:
        super().store_event(event)
        if event.run_id:
            # The webserver follows a run by watching its shard file; with the shard held open a commit changes
            # only its WAL. Touching the file once the commit is visible fires the watch when the event can be
            # read (a watch on the WAL would fire before sqlite publishes the commit, and miss the last event).
            with contextlib.suppress(FileNotFoundError):
                os.utime(self.path_for_shard(event.run_id))

    def _close_all(self) -> None:
        if self._engines_pid == os.getpid():
            for engine in self._engines.values():
                engine.dispose()
        self._engines = OrderedDict()

    def wipe(self) -> None:
        with self._db_lock:
            self._close_all()  # before the shard files go
            super().wipe()

    def dispose(self) -> None:
        super().dispose()
        with self._db_lock:
            self._close_all()
