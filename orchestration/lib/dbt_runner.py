"""dbt through dagster-dbt's public API: the project, its manifest, and `dbt build` as a streamed CLI run.

`make install` runs `dbt parse` once, writing `target/manifest.json` (what dagster-dbt reads to build the asset
graph when the code location loads). A build is `DbtCliResource.cli(["build"], context=context).stream()`: a
`dbt` subprocess whose events dagster-dbt turns into Dagster events. Each warehouse keeps its own dbt target
folder beside it (`<warehouse dir>/dbt/target`), so dbt's partial parse (`partial_parse.msgpack`) is reused run
after run against that warehouse: dbt re-parses only what changed, a seed or a claims file included, and a new
warehouse path (its profile changed) costs one full parse there. The cost of the subprocess is measured in
`benchmarks/run_time.py`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject

from orchestration import settings
from orchestration.lib import lake
from orchestration.lib.dbt_launcher import real_dbt

# What the asset graph is built from. Data files (seeds) are not among them: a changed seed changes no node
# of the graph, and dbt re-parses it at run time.
GRAPH_FILES = ("models", "macros", "tests", "snapshots", "analyses", "dbt_project.yml")


class StaleManifest(RuntimeError):
    pass


def manifest_problem(project_dir: Path = settings.DBT_PROJECT_DIR) -> str | None:
    """Why the parsed manifest cannot build the asset graph (missing, or older than a model or macro), or None."""
    manifest = project_dir / "target" / "manifest.json"
    if not manifest.is_file():
        return f"{manifest.name} missing under {manifest.parent}"
    parsed_at = manifest.stat().st_mtime
    for name in GRAPH_FILES:
        root = project_dir / name
        for path in [root] if root.is_file() else root.rglob("*") if root.is_dir() else []:
            if path.is_file() and path.stat().st_mtime > parsed_at:
                return f"{path.relative_to(project_dir)} changed after the project was parsed"
    return None


@cache
def dbt_project() -> DbtProject:
    """The dbt project with the manifest `make install` parsed; refuses a missing or stale one."""
    problem = manifest_problem()
    if problem:
        raise StaleManifest(
            f"dbt manifest of {settings.DBT_PROJECT_DIR} is not usable: {problem}. "
            f"Run `make install` (it runs `dbt parse`)."
        )
    return DbtProject(project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR)


@cache
def dbt_manifest_json() -> dict:
    return json.loads(dbt_project().manifest_path.read_text())


def dbt_executable() -> str:
    """The `dbt` installed beside this Python (the project's environment), found without PATH."""
    return real_dbt()


def dbt_launcher() -> str:
    """What dagster-dbt runs as dbt: `liqmart-dbt` beside this Python, which answers dagster-dbt's `dbt
    --version` probe from the installed metadata (the real one asks pypi.org) and execs `dbt` for the rest."""
    launcher = Path(sys.executable).parent / "liqmart-dbt"
    if not launcher.is_file():
        raise FileNotFoundError(f"{launcher.name} is not installed beside {sys.executable}: run `make install`")
    return str(launcher)


def dbt_resource(profiles_dir: Path | str = settings.DBT_PROJECT_DIR) -> DbtCliResource:
    """dbt on the embedded file (profile target `local`), or on the lake when it is set (target `lake`)."""
    target, on_lake = None, lake.configured()
    if on_lake is not None:
        target = "lake"
        lake.prepare_dbt_environment(on_lake)
    return DbtCliResource(
        project_dir=dbt_project(), profiles_dir=str(profiles_dir), dbt_executable=dbt_launcher(), target=target
    )


def target_path(warehouse: Path | str) -> Path:
    """dbt's target folder for one warehouse: its partial parse lives as long as the warehouse does."""
    return Path(warehouse).resolve().parent / "dbt" / "target"


def build(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: Path | str,
    translator: DagsterDbtTranslator,
    full_refresh: bool = False,
) -> Iterator:
    """`dbt build` of the context's selection, streamed as Dagster events; raises when dbt fails, after the
    events of what it did build. `full_refresh` rebuilds the incremental models whole."""
    logs = Path(warehouse).resolve().parent / "logs" / "dbt"
    args = ["build", "--log-path", str(logs), "--no-send-anonymous-usage-stats", "--no-use-colors"]
    if full_refresh:
        args.append("--full-refresh")
    invocation = dbt.cli(args, context=context, dagster_dbt_translator=translator, target_path=target_path(warehouse))
    yield from invocation.stream()
