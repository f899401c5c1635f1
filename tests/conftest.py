"""Shared fixtures: a temporary warehouse per test, the bundled snapshot, and the collected real data."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from orchestration import settings

REAL_DATA = settings.PROJECT_ROOT.parent / "shared" / "data" / "real"
TODAY = date(2026, 11, 24)  # parsers take "today" as an argument; tests fix it


@pytest.fixture
def real_data() -> Path:
    if not REAL_DATA.is_dir():
        pytest.skip(f"collected real data not found at {REAL_DATA} (shared/ sits beside the clone in CI)")
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
