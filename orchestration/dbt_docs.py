"""The dbt docs site, offline: one self-contained HTML file (`dbt docs generate --static`) in warehouse/docs/.

dbt's catalog (every column's type) is read from a private copy of the published warehouse, so generating the
docs never touches the live file nor holds a lock on the copy analysts read. dbt runs in-process on the
manifest parsed at install time (orchestration/lib/dbt_runner.py), so nothing re-parses the project.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

from orchestration import settings
from orchestration.warehouse import published_path, reading

PROFILE = """liquidity_mart:
  target: local
  outputs:
    local:
      type: duckdb
      path: "{path}"
      threads: 1
"""


def docs_path(warehouse: Path | str | None = None) -> Path:
    """The docs site lives beside the warehouse it describes: <warehouse dir>/docs/index.html."""
    return Path(warehouse or settings.warehouse_path()).resolve().parent / "docs" / "index.html"


def model_url(model: str, warehouse: Path | str | None = None) -> str:
    """A link to one model's page in the docs site."""
    return f"{docs_path(warehouse).as_uri()}#!/model/model.liquidity_mart.{model}"


def generate_docs(warehouse: Path | str | None = None) -> Path:
    from dbt.cli.main import dbtRunner

    from orchestration.lib.dbt_runner import _DBT_LOCK, _release_warehouse, parsed_manifest

    live = Path(warehouse or settings.warehouse_path())
    target = docs_path(live)
    with tempfile.TemporaryDirectory(prefix="dbt-docs-") as work:
        work = Path(work)
        # The copy keeps the warehouse's file name: dbt-duckdb names the database after it, and the catalog
        # only matches the manifest's nodes under that name.
        copy = work / live.name
        with reading(live):  # waits while a fresh copy is being swapped in
            shutil.copyfile(published_path(live), copy)
        (work / "profiles.yml").write_text(PROFILE.format(path=copy))
        args = [
            "docs",
            "generate",
            "--static",
            "--project-dir",
            str(settings.DBT_PROJECT_DIR),
            "--profiles-dir",
            str(work),
            "--target-path",
            str(work / "target"),
            "--log-path",
            str(work / "logs"),
            "--quiet",
            "--no-send-anonymous-usage-stats",
            "--no-use-colors",
        ]
        with _DBT_LOCK:
            try:
                result = dbtRunner(manifest=parsed_manifest(settings.DBT_PROJECT_DIR)).invoke(args)
            finally:
                _release_warehouse()
        site = work / "target" / "static_index.html"
        if not result.success or not site.is_file():
            log = (work / "logs" / "dbt.log").read_text()[-3000:] if (work / "logs" / "dbt.log").exists() else ""
            raise RuntimeError(f"dbt docs generate failed: {result.exception or 'no static_index.html'}\n{log}")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
        shutil.copyfile(site, tmp)
        os.replace(tmp, target)
    return target
