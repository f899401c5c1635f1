"""The event log the project configures (orchestration/event_log.py): Dagster's sqlite storage in its default
place, its shards on connections kept open per process, and still one log for every process, followed live."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from orchestration.cli import prepare_dagster_home
from orchestration.event_log import OPEN_RUN_SHARDS, PooledSqliteEventLogStorage

pytestmark = pytest.mark.integration

WRITE_AND_COUNT = """
import sys
import dagster as dg
with dg.DagsterInstance.get() as instance:
    seen = len(instance.fetch_materializations(dg.AssetKey("probe"), limit=100).records)
    instance.report_runless_asset_event(dg.AssetMaterialization("probe", metadata={"by": "child"}))
    print(seen)
"""

# Writes one event to a run's shard, then three more when told, keeping the shard open as a run worker does.
WRITE_A_RUN = """
import sys, time
import dagster as dg
from dagster._core.events.log import EventLogEntry
run_id = sys.argv[1]
def write(message):
    entry = EventLogEntry(error_info=None, level=20, user_message=message, run_id=run_id, timestamp=time.time())
    instance.event_log_storage.store_event(entry)
with dg.DagsterInstance.get() as instance:
    write("first")
    print("ready", flush=True)
    sys.stdin.readline()
    for n in range(3):
        write(f"step {n}")
    print("written", flush=True)
    sys.stdin.readline()
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "dagster_home"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    prepare_dagster_home()  # as `liqmart` and `make dev` do
    return home


def count(instance: dg.DagsterInstance) -> int:
    return len(instance.fetch_materializations(dg.AssetKey("probe"), limit=100).records)


def test_the_project_instance_keeps_dagsters_layout(home: Path) -> None:
    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        instance.report_runless_asset_event(dg.AssetMaterialization("probe"))
    # Where Dagster's default sqlite storage keeps it: a home made before this setting reads the same files.
    assert (home / "history" / "runs" / "index.db").exists()
    assert (home / "history" / "runs.db").exists()


def test_a_process_holding_the_index_open_sees_and_is_seen_by_other_processes(home: Path) -> None:
    def child() -> int:
        out = subprocess.run(
            [sys.executable, "-c", WRITE_AND_COUNT], env=dict(os.environ), capture_output=True, text=True, check=True
        )
        return int(out.stdout.strip())

    with dg.DagsterInstance.get() as instance:
        instance.report_runless_asset_event(dg.AssetMaterialization("probe"))
        assert count(instance) == 1  # the index connection is open from here on
        assert child() == 1  # another process reads what this one wrote, while this one holds the file
        assert count(instance) == 2  # and this one, on its open connection, reads what the other wrote
        instance.report_runless_asset_event(dg.AssetMaterialization("probe"))
        assert child() == 3
        assert count(instance) == 4
    with dg.DagsterInstance.get() as fresh:
        assert count(fresh) == 4


def test_the_home_is_found_from_its_settings_without_dagster_home_set(home: Path, monkeypatch) -> None:
    from dagster._core.instance.ref import InstanceRef

    with dg.DagsterInstance.get() as instance:
        instance.report_runless_asset_event(dg.AssetMaterialization("probe"))
    # A process that opens the home by its path (a test, a script) with DAGSTER_HOME pointing elsewhere.
    monkeypatch.setenv("DAGSTER_HOME", str(home.parent / "elsewhere"))
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        assert count(instance) == 1


def test_a_moved_home_gets_its_own_paths(home: Path, monkeypatch) -> None:
    moved = home.parent / "moved"
    home.rename(moved)
    monkeypatch.setenv("DAGSTER_HOME", str(moved))
    assert str(home) in (moved / "dagster.yaml").read_text()
    prepare_dagster_home()
    settings = (moved / "dagster.yaml").read_text()
    assert f"base_dir: {moved}/history/runs" in settings and str(home) + "/" not in settings
    with dg.DagsterInstance.get() as instance:
        instance.report_runless_asset_event(dg.AssetMaterialization("probe"))
    assert (moved / "history" / "runs" / "index.db").exists() and not home.exists()


def test_a_watcher_follows_a_run_written_by_a_process_holding_its_shard_open(home: Path) -> None:
    # What the webserver does for a run's page: watch the shard, receive each event as it is written.
    from dagster._core.utils import make_new_run_id

    run_id = make_new_run_id()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITE_A_RUN, run_id], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline().strip() == "ready"
        seen: list[str] = []
        with dg.DagsterInstance.get() as instance:
            cursor = instance.get_records_for_run(run_id).cursor
            instance.event_log_storage.watch(run_id, cursor, lambda entry, _cursor: seen.append(entry.user_message))
            writer.stdin.write("go\n")
            writer.stdin.flush()
            assert writer.stdout.readline().strip() == "written"
            deadline = time.monotonic() + 10
            while len(seen) < 3 and time.monotonic() < deadline:
                time.sleep(0.1)
            assert writer.poll() is None  # still holding the shard: nothing was checkpointed by a close
            assert seen == ["step 0", "step 1", "step 2"]
    finally:
        writer.kill()
        writer.wait()


def open_run_shards(home: Path) -> int:
    fds = Path("/proc/self/fd")
    targets = [os.path.realpath(fd) for fd in fds.iterdir() if fd.is_symlink()]
    runs = os.path.realpath(home / "history" / "runs")
    return sum(t.startswith(runs) and t.endswith(".db") and not t.endswith("index.db") for t in targets)


def test_a_process_keeps_a_bounded_number_of_run_shards_open(home: Path) -> None:
    from dagster._core.events.log import EventLogEntry
    from dagster._core.utils import make_new_run_id

    runs = [make_new_run_id() for _ in range(OPEN_RUN_SHARDS + 4)]
    with dg.DagsterInstance.get() as instance:
        for run_id in runs:
            entry = EventLogEntry(error_info=None, level=20, user_message="m", run_id=run_id, timestamp=time.time())
            instance.event_log_storage.store_event(entry)
        assert open_run_shards(home) == OPEN_RUN_SHARDS  # the webserver reads many runs: the oldest are closed
        assert [len(instance.get_records_for_run(r).records) for r in runs] == [1] * len(runs)
    assert open_run_shards(home) == 0  # disposing the instance closes them all
