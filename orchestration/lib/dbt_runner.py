"""dbt, parsed once at install time and run inside the Dagster process.

`make install` runs `dbt parse`, which writes `target/manifest.json` (what dagster-dbt reads to build the asset
graph) and `target/partial_parse.msgpack` (the same manifest, whole, as dbt itself loads it). A build hands
that parsed manifest to dbt's programmatic runner (`dbtRunner(manifest=...)`), so no process re-parses the
project or needs a `dbt` executable: a `dbt build` subprocess costs ~4 s of start-up and, whenever the
warehouse path differs from the one the project was parsed with (every test, every `LIQUIDITY_WAREHOUSE`), a
full re-parse of ~5 s more. dbt's events are turned into Dagster events by dagster-dbt's own translation
(`DbtCoreCliEventMessage.to_default_asset_events`), exactly as for its CLI resource, and dagster-dbt computes
the `--select`/`--exclude` of a subset run the same way.
"""

from __future__ import annotations

import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtProject

from orchestration import settings

# dbt keeps global state (flags, adapters, logging) per process: one invocation at a time.
_DBT_LOCK = threading.Lock()
# dbt's per-node result events, counted for the one summary line a build writes to the run's log.
_RESULT_EVENTS = {"LogModelResult", "LogTestResult", "LogSeedResult", "LogSnapshotResult"}
PROJECT_FILES = ("models", "seeds", "macros", "tests", "snapshots", "analyses", "dbt_project.yml", "profiles.yml")


class StaleManifest(RuntimeError):
    pass


def manifest_problem(project_dir: Path = settings.DBT_PROJECT_DIR) -> str | None:
    """Why the parsed manifest cannot be used (missing, or older than a project file), or None."""
    target = project_dir / "target"
    built = [target / "manifest.json", target / "partial_parse.msgpack"]
    missing = [p.name for p in built if not p.is_file()]
    if missing:
        return f"{', '.join(missing)} missing under {target}"
    parsed_at = min(p.stat().st_mtime for p in built)
    for name in PROJECT_FILES:
        root = project_dir / name
        for path in [root] if root.is_file() else root.rglob("*") if root.is_dir() else []:
            if path.is_file() and path.stat().st_mtime > parsed_at:
                return f"{path.relative_to(project_dir)} changed after the project was parsed"
    return None


@cache
def dbt_project() -> DbtProject:
    """The dbt project with its manifest as built by `make install`; refuses a missing or stale one."""
    problem = manifest_problem()
    if problem:
        raise StaleManifest(
            f"dbt manifest of {settings.DBT_PROJECT_DIR} is not usable: {problem}. "
            f"Run `make install` (it runs `dbt parse` once)."
        )
    return DbtProject(project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR)


_parsed: dict[tuple[str, float], object] = {}


def parsed_manifest(project_dir: Path):
    """dbt's own Manifest object from the partial-parse file `dbt parse` wrote (cached per file version)."""
    from dbt.contracts.graph.manifest import Manifest

    path = Path(project_dir) / "target" / "partial_parse.msgpack"
    key = (str(path), path.stat().st_mtime)
    if key not in _parsed:
        _parsed.clear()
        _parsed[key] = Manifest.from_msgpack(path.read_bytes())
    return _parsed[key]


class DbtBuild(dg.ConfigurableResource):
    """Runs `dbt build` in-process on the manifest parsed at install time, streaming Dagster events."""

    project_dir: str
    profiles_dir: str
    log_dir: str | None = None  # dbt's full log per invocation; default: a temporary folder

    def build(self, context: dg.AssetExecutionContext, translator: DagsterDbtTranslator) -> Iterator:
        from dagster_dbt.asset_utils import get_updated_cli_invocation_params_for_context
        from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage
        from dbt.cli.main import dbtRunner
        from dbt_common.events.functions import msg_to_dict

        params = get_updated_cli_invocation_params_for_context(
            context=context, manifest=dbt_manifest_json(), dagster_dbt_translator=translator
        )
        manifest = params.manifest
        raw_events: list[dict] = []

        def collect(event) -> None:
            # Every Dagster log line is an event-log write (~25 ms on sqlite); node lines go to dbt's log file.
            raw_events.append(msg_to_dict(event))

        # A subset run (a schedule's downstream, a UI backfill's run) names the models it builds; dbt's default
        # ("eager") would still run a relationships test whose other model is not built and may not exist yet.
        # "cautious" runs the tests whose models are all selected. A whole selection keeps dbt's default, which
        # also drops the tests of models its --exclude leaves out.
        indirect = params.indirect_selection or ("cautious" if context.is_subset else None)
        with tempfile.TemporaryDirectory(prefix="dbt-target-") as target:
            log_path = Path(self.log_dir or target) / context.run_id[:8]
            args = [
                "build",
                "--project-dir",
                self.project_dir,
                "--profiles-dir",
                self.profiles_dir,
                "--target-path",
                target,
                "--log-path",
                str(log_path),
                "--quiet",
                "--log-level-file",
                "debug",
                "--no-send-anonymous-usage-stats",
                "--no-write-json",
                "--no-use-colors",
                *(["--indirect-selection", indirect] if indirect else []),
                *params.selection_args,
            ]
            with _DBT_LOCK:
                try:
                    result = dbtRunner(manifest=parsed_manifest(Path(self.project_dir)), callbacks=[collect]).invoke(
                        args
                    )
                finally:
                    _release_warehouse()
            statuses = Counter(str(r["data"].get("status")) for r in raw_events if r["info"]["name"] in _RESULT_EVENTS)
            counts = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
            context.log.info(f"dbt build: {statuses.total()} nodes ({counts}); full dbt log: {log_path / 'dbt.log'}")
            for raw in raw_events:
                message = DbtCoreCliEventMessage(raw_event=raw, event_history_metadata={})
                yield from message.to_default_asset_events(
                    manifest=manifest, dagster_dbt_translator=translator, context=context, target_path=Path(target)
                )
        if not result.success:
            errors = [r["info"]["msg"] for r in raw_events if r["info"]["level"] == "error"]
            detail = "\n".join(errors) or (str(result.exception) if result.exception else "no error message")
            raise dg.Failure(description=f"dbt build failed ({len(errors)} error(s)); dbt log: {log_path}\n{detail}")


def _release_warehouse() -> None:
    """Close the DuckDB database dbt-duckdb keeps open for the process after an in-process run
    (dbt-duckdb#616): the next op, the summary and other processes need the file."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.adapters.factory import reset_adapters

    with DuckDBConnectionManager._LOCK:
        env, DuckDBConnectionManager._ENV = DuckDBConnectionManager._ENV, None
    if env is not None:
        env.close()
    reset_adapters()


@cache
def dbt_manifest_json() -> dict:
    import json

    return json.loads(dbt_project().manifest_path.read_text())
