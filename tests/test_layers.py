"""The import contracts hold, and break when an upward import is added (on a copy of the project)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration import settings

LINT = str(Path(sys.executable).parent / "lint-imports")


def lint(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT], capture_output=True, text=True, cwd=project, timeout=300, env={**os.environ, "PYTHONPATH": str(project)}
    )


def copy_of_project(target: Path) -> Path:
    tracked = subprocess.run(
        ["git", "ls-files", "*.py", "pyproject.toml"],
        capture_output=True,
        text=True,
        cwd=settings.PROJECT_ROOT,
        check=True,
    ).stdout.split()
    for name in tracked:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(settings.PROJECT_ROOT / name, target / name)
    return target


def test_the_contracts_hold():
    done = lint(settings.PROJECT_ROOT)
    assert done.returncode == 0 and "0 broken" in done.stdout, done.stdout[-2000:]


@pytest.mark.parametrize(
    "module, upward, contract",
    [
        ("transforms/validation.py", "import orchestration.commands.cli", "transforms is pure"),
        ("transforms/stress.py", "import dagster", "transforms is pure"),
        ("orchestration/lib/warehouse.py", "import orchestration.defs.raw.prices", "orchestration's layers"),
        ("orchestration/lib/batch.py", "from dagster._core.events import DagsterEvent", "public API only"),
        (
            "orchestration/defs/dbt/assets.py",
            "from dagster_dbt.asset_utils import get_manifest_and_translator_from_dbt_assets",
            "public API only",
        ),
        ("orchestration/lib/report/data.py", "import orchestration.commands.summary", "orchestration's layers"),
        ("orchestration/lib/raw_tables.py", "import orchestration.defs.automation.schedules", "orchestration's layers"),
        ("orchestration/commands/export.py", "from orchestration.defs.inbox import inbox_import", "never a defin"),
        ("benchmarks/mart_scale.py", "import orchestration.defs.raw.prices", "never a definitions"),
    ],
)
def test_an_upward_import_breaks_them(tmp_path, module, upward, contract):
    project = copy_of_project(tmp_path / "project")
    path = project / module
    path.write_text(path.read_text() + f"\n{upward}  # the scratch upward import\n")
    done = lint(project)
    assert done.returncode != 0, done.stdout[-2000:]
    broken = [line for line in done.stdout.splitlines() if "BROKEN" in line]
    assert any(contract in line for line in broken), done.stdout[-2000:]
