"""One path for every launch: a Dagster home with the project's settings, a preflight on the warehouse, the
run's selection less what this environment cannot load, the run itself (one in-process run on the instance,
with a progress display and the full log in warehouse/logs/), and its exit status. `liqmart` and the tests
launch through here; `make dev` and `make serve` prepare their home here too."""

from __future__ import annotations

import contextlib
import os
import sys

from orchestration import settings

INSTANCE_SETTINGS = settings.PROJECT_ROOT / "orchestration" / "dagster.yaml"
POSTGRES_STORAGE = settings.PROJECT_ROOT / "orchestration" / "dagster.postgres.yaml"


def instance_settings() -> str:
    """The settings a new Dagster home gets, built as data: the project's (orchestration/dagster.yaml), its pool
    and run queue widened for the lake, and Postgres storage when DAGSTER_PG_URL is set (sqlite under the home
    otherwise)."""
    import yaml

    from orchestration.lib import lake

    config = yaml.safe_load(INSTANCE_SETTINGS.read_text())
    if lake.configured() is not None:
        # The lake takes many writers: steps of one run (the raw families, in the multiprocess executor the
        # daemon's runs use) and runs side by side, where the single DuckDB file allows one.
        config["concurrency"]["pools"]["default_limit"] = lake.WRITERS
        config["concurrency"]["runs"]["max_concurrent_runs"] = lake.WRITERS
    if os.environ.get(settings.DAGSTER_PG_ENV):
        config.update(yaml.safe_load(POSTGRES_STORAGE.read_text()))
    header = f"# Written by liqmart from {INSTANCE_SETTINGS.name} (and {POSTGRES_STORAGE.name} with DAGSTER_PG_URL).\n"
    return header + yaml.safe_dump(config, sort_keys=False)


def prepare_dagster_home() -> str:
    """Point Dagster at warehouse/dagster_home (or $DAGSTER_HOME); give a home without settings the project's
    (orchestration/dagster.yaml: pool limit 1, one run at a time, wider on the lake; Postgres storage when
    DAGSTER_PG_URL is set).
    A home's own dagster.yaml is never rewritten."""

    home = settings.dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    # A home set up by an older version names the event-log storage this project no longer has; that file was
    # the project's, written by `liqmart`, so it is replaced (once, and said).
    retired = config.exists() and "orchestration.event_log" in config.read_text()
    if not config.exists() or retired:
        config.write_text(instance_settings())
        if retired:
            print(
                f"{config}: replaced with {INSTANCE_SETTINGS} (it named a retired event-log storage)", file=sys.stderr
            )
    os.environ["DAGSTER_HOME"] = str(home)
    # Create the instance's sqlite storage now, in one process: runs, the webserver and the daemon started
    # together on a fresh home otherwise race to create the same tables ("table ... already exists").
    import dagster as dg  # here, not at the top: `liqmart --help` stays fast

    from orchestration.lib.dead_runs import reap_dead_runs

    with dg.DagsterInstance.get() as instance:  # opening it creates run, event-log and schedule storage
        for run_id in reap_dead_runs(instance):  # a killed run would hold the queue and the writer pool
            print(f"run {run_id[:8]} was left unfinished by a process that is gone: marked failed", file=sys.stderr)
    # dbt's profile and the Dagster resources read the same variable; pin it for the subprocesses too.
    os.environ[settings.WAREHOUSE_ENV] = str(settings.warehouse_path())
    # The inbox's folders exist from the start, so a user sees where a file goes (warehouse/inbox/<family>/).
    from orchestration.lib.inbox import FAMILIES, inbox_root

    for family in FAMILIES:
        (inbox_root() / family).mkdir(parents=True, exist_ok=True)
    return str(home)


def preflight() -> None:
    """Open the live warehouse once before a run: waits for another writer, and names a corrupt file now
    rather than in the middle of a run."""
    from orchestration.lib import lake
    from orchestration.lib.warehouse import connect_waiting

    target = lake.configured()
    if target is not None:
        lake.connect(target).close()  # the catalog and the object store answer, or the error names them
        return
    live = settings.warehouse_path()
    if live.exists():
        connect_waiting(live).close()


def exit_code(result) -> int:
    """0 for a successful run; else 1, with each failed step's error in full on stderr."""
    if result.success:
        return 0
    for event in result.all_events:
        if event.is_step_failure:
            error = event.event_specific_data.error
            cause = error
            while cause is not None and cause.cls_name not in ("WarehouseLocked", "WarehouseCorrupt"):
                cause = cause.cause
            if cause is not None:  # the message says it all; a traceback would only bury it
                print(f"\nFAILED step {event.step_key}: {cause.message.strip()}", file=sys.stderr)
                continue
            print(f"\nFAILED step {event.step_key}: {error.message.strip()}\n{error.to_string()}", file=sys.stderr)
    return 1


def left_out_assets(defs) -> set:
    """Raw assets this environment cannot load (say why); runs leave them out so the rest still builds."""
    from orchestration.lib.left_out import left_out

    skipped = left_out(defs.resources["sources"], defs.resources["coinglass"])
    for key, why in skipped.items():
        print(f"{key.to_user_string()} left out of this run: {why}", file=sys.stderr)
    return set(skipped)


def execute(defs, command: str, selection, tags: dict, verbose: bool, full_refresh: bool = False):
    """Run the selected assets (and their checks) as one in-process run on the instance, with a progress
    display on the terminal and the full Dagster log in warehouse/logs/."""
    import dagster as dg

    from orchestration.lib.progress import run_progress
    from orchestration.lib.run_process import process_tags
    from orchestration.lib.window import YEARLY

    job = dg.define_asset_job(
        f"liqmart_{command}", selection=selection, partitions_def=YEARLY, description=f"`liqmart {command}`"
    )
    with run_progress(command, verbose) as display:
        resolved = (
            dg.Definitions(
                assets=defs.assets,
                asset_checks=defs.asset_checks,
                jobs=[job],
                resources=defs.resources,
                executor=dg.in_process_executor,
            )
            .resolve_job_def(job.name)
            .with_logger_defs({"liqmart": display.logger_def})
        )
        display.set_total(len(resolved.nodes_in_topological_order))
        # dagster-dbt re-emits every dbt node line on stdout; in the terminal they would print over the progress
        # display, so they go to the run's log file (the UI's runs keep them in their compute logs).
        with dg.DagsterInstance.get() as instance, contextlib.ExitStack() as quiet:
            if not verbose:
                quiet.enter_context(contextlib.redirect_stdout(quiet.enter_context(display.path.open("a"))))
            # A logger runs only when the run config names it; then it replaces Dagster's console logger.
            result = resolved.execute_in_process(
                instance=instance,
                raise_on_error=False,
                tags={**tags, **process_tags()},
                run_config={
                    "loggers": {"liqmart": {}},
                    # `liqmart run` builds everything, the incremental models whole; other commands refresh them.
                    **({"ops": {"dbt_models": {"config": {"full_refresh": True}}}} if full_refresh else {}),
                },
            )
    print(
        f"liqmart {command}: run {result.run_id[:8]} {'succeeded' if result.success else 'FAILED'}; "
        f"full log: {display.path}",
        file=sys.stderr,
    )
    return result
