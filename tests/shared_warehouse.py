"""One full materialization of the bundled data (and one cut at a day), shared by the tests that only read it.

Building the warehouse takes most of a minute. It is built once per test run: under pytest-xdist, at the first
test of the first worker, a process of its own starts each build the run's tests will ask for
(`python -m tests.shared_warehouse`), under a file lock in the run's shared temporary folder, while the workers
run other tests; a test that asks waits for the lock and reads the same files. (Built by the first worker to ask
instead, the other worker idled up to half a minute waiting for it.) Whoever holds the lock first builds; the other
finds the build done. The run's events travel with it (Dagster's serialization), so a test can still look at its
check evaluations and materializations. A test that writes copies the folder first.
"""

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock

# Imported when a build runs, not here: the background build takes the lock before its heavy imports.


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
    import dagster as dg

    from tests.integration.materialize import materialize

    events = folder / "run_events.json"
    if not events.exists():
        result = materialize(folder / "liquidity.duckdb", raise_on_error=False, days=days)
        tmp = events.with_suffix(".tmp")
        tmp.write_text(dg.serialize_value({"success": result.success, "events": result.all_events}))
        tmp.replace(events)  # complete or absent: a worker never reads half of it
    saved = dg.deserialize_value(events.read_text())
    return BuiltRun(saved["success"], saved["events"])


def build_locked(shared: Path, name: str, days: tuple[str, str] | None = None) -> BuiltRun:
    """The warehouse `name` in the run's shared folder: built by whoever takes its lock first, read by the rest."""
    with FileLock(str(shared / f"{name}.lock")):
        folder = shared / name
        folder.mkdir(exist_ok=True)
        return build(folder, days)


# The day before the crash's worst two sessions: the whole pipeline on the raw data up to it, read by the test that
# no measure knows the future and copied by the alert test that then loads the next two days.
CUT_DAY = "2026-02-04"


def build_days(name: str) -> tuple[str, str] | None:
    """The days each shared warehouse is built on: the whole history, or the history up to CUT_DAY."""
    from orchestration.lib.window import FIRST_DAY

    return {"built": None, "built_to_cut": (FIRST_DAY, CUT_DAY)}[name]


def shared_build(tmp_path_factory, worker_id, name: str):
    """The warehouse `name`, built once per test run (under xdist, by the background build or the first to ask)."""
    days = build_days(name)
    if worker_id == "master":  # one process: a folder of its own
        folder = tmp_path_factory.mktemp(name)
        return folder / "liquidity.duckdb", build(folder, days)
    shared = tmp_path_factory.getbasetemp().parent  # one per test run, the same for every worker
    return shared / name / "liquidity.duckdb", build_locked(shared, name, days)


@pytest.fixture(scope="session", autouse=True)
def _shared_builds_started_early(request, tmp_path_factory, worker_id):
    """Under xdist, start the shared builds this run's tests ask for in processes of their own, once per run (the
    first worker to get here), so that they overlap the tests that need no warehouse. Their output goes to
    `<name>.log` in the shared folder; a build that fails there fails again, in the test that asks, where it
    reports."""
    if worker_id == "master":
        yield
        return
    shared = tmp_path_factory.getbasetemp().parent
    started = []
    for name in ("built", "built_to_cut"):
        if not any(name in item.fixturenames for item in request.session.items):
            continue
        try:
            os.close(os.open(shared / f"{name}.started", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:  # another worker started it
            continue
        with open(shared / f"{name}.log", "w") as log:
            started.append(
                subprocess.Popen(
                    [sys.executable, "-m", "tests.shared_warehouse", str(shared), name, *(build_days(name) or ())],
                    cwd=Path(__file__).resolve().parents[1],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its dbt with it, if it has to be stopped
                )
            )
    yield
    for process in started:  # normally long done; a session cut short stops what is left of a build
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        process.wait()


@pytest.fixture(scope="session")
def built(tmp_path_factory, worker_id):
    return shared_build(tmp_path_factory, worker_id, "built")


@pytest.fixture(scope="session")
def built_to_cut(tmp_path_factory, worker_id):
    return shared_build(tmp_path_factory, worker_id, "built_to_cut")


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


if __name__ == "__main__":  # python -m tests.shared_warehouse SHARED_FOLDER NAME [FIRST_DAY LAST_DAY]
    shared_folder, build_name, *window = sys.argv[1:]
    print(build_locked(Path(shared_folder), build_name, tuple(window) or None).success)
