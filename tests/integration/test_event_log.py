"""The event log the project configures (orchestration/event_log.py): Dagster's sqlite storage in its default
place, its index on a connection kept open per process, and still one log for every process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from orchestration.cli import prepare_dagster_home
from orchestration.event_log import IndexPooledSqliteEventLogStorage

pytestmark = pytest.mark.integration

WRITE_AND_COUNT = """
import sys
import dagster as dg
with dg.DagsterInstance.get() as instance:
    seen = len(instance.fetch_materializations(dg.AssetKey("probe"), limit=100).records)
    instance.report_runless_asset_event(dg.AssetMaterialization("probe", metadata={"by": "child"}))
    print(seen)
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
        assert isinstance(instance.event_log_storage, IndexPooledSqliteEventLogStorage)
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
