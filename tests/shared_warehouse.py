"""One full materialization of the bundled data (and one cut at a day), shared by the tests that only read it.

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


def build(folder: Path, days: tuple[str, str] | None = None) -> BuiltRun:
    events = folder / "run_events.json"
    if not events.exists():
        result = materialize(folder / "liquidity.duckdb", raise_on_error=False, days=days)
        tmp = events.with_suffix(".tmp")
        tmp.write_text(dg.serialize_value({"success": result.success, "events": result.all_events}))
        tmp.replace(events)  # complete or absent: a worker never reads half of it
    saved = dg.deserialize_value(events.read_text())
    return BuiltRun(saved["success"], saved["events"])


def shared_build(tmp_path_factory, worker_id, name: str, days: tuple[str, str] | None = None):
    """The warehouse `name`, built once per test run (under xdist, by the first worker to ask)."""
    if worker_id == "master":  # one process: a folder of its own
        folder = tmp_path_factory.mktemp(name)
        return folder / "liquidity.duckdb", build(folder, days)
    shared = tmp_path_factory.getbasetemp().parent  # one per test run, the same for every worker
    folder = shared / name
    with FileLock(str(shared / f"{name}.lock")):
        folder.mkdir(exist_ok=True)
        run = build(folder, days)
    return folder / "liquidity.duckdb", run


@pytest.fixture(scope="session")
def built(tmp_path_factory, worker_id):
    return shared_build(tmp_path_factory, worker_id, "built")


# The day before the crash's worst two sessions: the whole pipeline on the raw data up to it, read by the test that
# no measure knows the future and copied by the alert test that then loads the next two days.
CUT_DAY = "2026-02-04"


@pytest.fixture(scope="session")
def built_to_cut(tmp_path_factory, worker_id):
    from orchestration.lib.window import FIRST_DAY

    return shared_build(tmp_path_factory, worker_id, "built_to_cut", (FIRST_DAY, CUT_DAY))


def copy_of_built(built, tmp_path: Path) -> Path:
    """A private copy of the shared warehouse (tmp_path/wh/liquidity.duckdb), for a test that writes."""
    import shutil

    warehouse, _ = built
    copy = tmp_path / "wh" / "liquidity.duckdb"
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(warehouse, copy)
    return copy


@pytest.fixture(scope="module")
def loaded_q1(tmp_path_factory) -> Path:
    """raw.prices of 2026's first quarter, loaded once per test module that asks; its tests write to copies
    (copy_of_folder)."""
    from tests.integration.materialize import materialize as run

    path = tmp_path_factory.mktemp("q1") / "wh" / "liquidity.duckdb"
    assert run(path, selection='key:"raw/prices"', days=("2026-01-01", "2026-03-31")).success
    return path


def copy_of_folder(warehouse: Path, tmp_path: Path) -> Path:
    """A private copy of a warehouse's whole folder (tmp_path/wh): its landing zone, journal and published copy
    with it (the journal's paths are relative)."""
    import shutil

    shutil.copytree(warehouse.parent, tmp_path / "wh")
    return tmp_path / "wh" / warehouse.name
