"""The marimo notebook, run headless: exported to HTML with every cell run, none failed; and as a script."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration import settings

# marimo processes of their own, each running every cell: `make test` runs them, `make test-fast` leaves them out.
pytestmark = pytest.mark.slow

NOTEBOOK = settings.PROJECT_ROOT / "notebooks" / "crash.py"
BIN = Path(sys.executable).parent


def export_html(notebook: Path, warehouse: Path, target: Path) -> subprocess.CompletedProcess:
    # marimo keeps a session cache beside the notebook it runs (__marimo__/): run a copy, so the cache lands in
    # the test's directory and not in the project.
    copy = target.parent / "notebook" / notebook.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(notebook, copy)
    return subprocess.run(
        [str(BIN / "marimo"), "export", "html", str(copy), "-o", str(target), "-f"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=settings.PROJECT_ROOT,
        env={**os.environ, settings.WAREHOUSE_ENV: str(warehouse)},
    )


def session_cells(page: Path) -> list[dict]:
    """The per-cell results marimo embeds in an exported page (its `session` object)."""
    text = page.read_text()
    start = text.index('"session": ') + len('"session": ')
    session, _ = json.JSONDecoder().raw_decode(text, start)
    return session["cells"]


def failed(cells: list[dict]) -> list[str]:
    return [
        c["id"]
        for c in cells
        if any(o.get("type") == "error" for o in c["outputs"])
        or any(line.get("channel") == "stderr" and "Traceback" in str(line.get("data")) for line in c["console"])
    ]


def test_every_cell_of_the_notebook_runs(built, tmp_path):
    warehouse, result = built
    assert result.success
    done = export_html(NOTEBOOK, warehouse, tmp_path / "crash.html")
    assert done.returncode == 0, done.stderr[-3000:]
    cells = session_cells(tmp_path / "crash.html")
    source_cells = NOTEBOOK.read_text().count("@app.cell")
    assert len(cells) == source_cells, "every cell has a result"
    assert failed(cells) == []
    # What the cells showed (not their code, which the page also holds).
    shown = " ".join(json.dumps(o.get("data")) for c in cells for o in c["outputs"])
    for text in (
        "First to break",
        "taken by US spot ETFs and the treasury companies",
        "verdict: ",
        "Point-in-time percentiles",
        "btc_bought_744k_2025",
    ):
        assert text in shown, f"{text!r} missing from the notebook's outputs"


def test_a_failing_cell_is_caught_by_the_check_above(built, tmp_path):
    """The check can fail: the same notebook with one broken query is reported."""
    broken = tmp_path / "broken.py"
    broken.write_text(NOTEBOOK.read_text().replace("from marts.mart_stress_comparison", "from marts.no_such_table"))
    done = export_html(broken, built[0], tmp_path / "broken.html")
    cells = session_cells(tmp_path / "broken.html") if (tmp_path / "broken.html").exists() else []
    assert done.returncode != 0 or failed(cells), "a broken cell went unnoticed"


def test_the_notebook_runs_as_a_plain_script(built):
    done = subprocess.run(
        [sys.executable, str(NOTEBOOK)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=settings.PROJECT_ROOT,
        env={**os.environ, settings.WAREHOUSE_ENV: str(built[0])},
    )
    assert done.returncode == 0, done.stderr[-3000:]
