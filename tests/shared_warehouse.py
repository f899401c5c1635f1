"""One full materialization of the bundled data, shared by the tests that only read it.

Building the warehouse takes most of a minute. It is built once per test run: under pytest-xdist the first
worker to ask builds it under a file lock in the run's shared temporary folder, and the others wait for it
and read the same files. The run's events travel with it (Dagster's serialization), so a test can still look
at its check evaluations and materializations. A test that writes copies the folder first.
"""

from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest
from filelock import FileLock

from tests.integration.materialize import materialize


@dataclass(frozen=True)
class BuiltRun:
    """What the tests read of the build's ExecuteInProcessResult, from any worker."""

    success: bool
    events: list

    def get_asset_check_evaluations(self) -> list:
        return [e.asset_check_evaluation_data for e in self.events if e.event_type_value == "ASSET_CHECK_EVALUATION"]

    def get_asset_materialization_events(self) -> list:
        return [e for e in self.events if e.event_type_value == "ASSET_MATERIALIZATION"]


def build(folder: Path) -> BuiltRun:
    events = folder / "run_events.json"
    if not events.exists():
        result = materialize(folder / "liquidity.duckdb", raise_on_error=False)
        tmp = events.with_suffix(".tmp")
        tmp.write_text(dg.serialize_value({"success": result.success, "events": result.all_events}))
        tmp.replace(events)  # complete or absent: a worker never reads half of it
    saved = dg.deserialize_value(events.read_text())
    return BuiltRun(saved["success"], saved["events"])


@pytest.fixture(scope="session")
def built(tmp_path_factory, worker_id):
    if worker_id == "master":  # one process: a folder of its own
        folder = tmp_path_factory.mktemp("built")
        return folder / "liquidity.duckdb", build(folder)
    shared = tmp_path_factory.getbasetemp().parent  # one per test run, the same for every worker
    folder = shared / "built"
    with FileLock(str(shared / "built.lock")):
        folder.mkdir(exist_ok=True)
        run = build(folder)
    return folder / "liquidity.duckdb", run


def copy_of_built(built, tmp_path: Path) -> Path:
    """A private copy of the shared warehouse (tmp_path/wh/liquidity.duckdb), for a test that writes."""
    import shutil

    warehouse, _ = built
    copy = tmp_path / "wh" / "liquidity.duckdb"
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(warehouse, copy)
    return copy
