"""Shared fixtures: a temporary warehouse per test, the bundled snapshot, and the collected real data."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from orchestration import settings

# The code location is loaded when this file imports the shared warehouse's fixture, before any hook or fixture
# runs: without a warehouse of the tests' own here it would read the developer's warehouse/claims/ (the claim
# files `liqmart claims add` registered there) into the checks the tests then count. Each test still gets a
# warehouse of its own (_isolated_warehouse).
_COLLECT_WAREHOUSE = None
if not os.environ.get(settings.WAREHOUSE_ENV):
    _COLLECT_WAREHOUSE = Path(tempfile.mkdtemp(prefix="liqmart-collect-"))
    os.environ[settings.WAREHOUSE_ENV] = str(_COLLECT_WAREHOUSE / "liquidity.duckdb")

from tests.egress import egress  # noqa: E402, F401 - a recording proxy: what a process would send off the machine
from tests.postgres_server import postgres  # noqa: E402, F401 - a real Postgres server, for the tests that ask
from tests.shared_warehouse import (  # noqa: E402, F401 - shared fixtures, every folder
    _shared_builds_started_early,
    built,
    built_to_cut,
    loaded_q1,
)

REAL_DATA = settings.PROJECT_ROOT.parent / "shared" / "data" / "real"
TODAY = date(2026, 11, 24)  # parsers take "today" as an argument; tests fix it


def pytest_configure(config):
    """One "today" for the whole session, its workers and their subprocesses (settings.today_utc): the bundled
    families run to today, and a suite that crosses midnight UTC would otherwise compare yesterday's shared
    warehouse with today's."""
    os.environ.setdefault(settings.TODAY_ENV, datetime.now(timezone.utc).date().isoformat())
    if _COLLECT_WAREHOUSE is not None:
        config.add_cleanup(lambda: shutil.rmtree(_COLLECT_WAREHOUSE, ignore_errors=True))


@pytest.fixture
def real_data() -> Path:
    if not REAL_DATA.is_dir():
        message = f"collected real data not found at {REAL_DATA} (shared/ sits beside the clone in CI)"
        if os.environ.get("CI"):  # in CI a missing comparison is a failure, never a silent skip
            pytest.fail(message)
        pytest.skip(message)
    return REAL_DATA


@pytest.fixture
def snapshot_copy(tmp_path) -> Path:
    """A writable copy of the bundled snapshot, for tests that corrupt a file."""
    target = tmp_path / "snapshot"
    shutil.copytree(settings.SNAPSHOT_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


@pytest.fixture(autouse=True)
def _isolated_warehouse(tmp_path, monkeypatch):
    """No test may touch warehouse/ in the project: point the settings at a temporary one."""
    monkeypatch.setenv(settings.WAREHOUSE_ENV, str(tmp_path / "wh" / "liquidity.duckdb"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))


# Suites by folder, by cost: tests/unit (pure functions and the definitions, seconds), tests/integration (real
# materializations, DuckDB, dbt, GX), tests/e2e (whole processes: the webserver under `make dev`, headless
# Chromium, concurrent CLI runs). `make test` runs them all; `make test-fast` skips tests/e2e and the tests marked
# `slow` (whole pipelines or processes of their own, in any folder).
SUITES = {"unit": pytest.mark.unit, "integration": pytest.mark.integration, "e2e": pytest.mark.e2e}


def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = Path(str(item.fspath)).relative_to(settings.PROJECT_ROOT / "tests").parts
        item.add_marker(SUITES.get(parts[0], pytest.mark.unit) if len(parts) > 1 else pytest.mark.unit)


# No test may change the project's tracked files or leave new ones beside them (a tool writing a cache next to
# the file it ran, a report written into the tree): the tree is compared before and after the session.
def _tree_state() -> str | None:
    try:
        done = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"],
            capture_output=True,
            text=True,
            cwd=settings.PROJECT_ROOT,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def pytest_sessionstart(session):
    session.config._tree_before = _tree_state()


def pytest_sessionfinish(session, exitstatus):
    before = getattr(session.config, "_tree_before", None)
    after = _tree_state()
    if before is None or after is None or before == after or hasattr(session.config, "workerinput"):
        return
    changed = sorted(set(after.splitlines()) ^ set(before.splitlines()))
    session.config.get_terminal_writer().line(
        "\ntests changed the project tree (each test must write under its own tmp_path):\n  " + "\n  ".join(changed),
        red=True,
    )
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
