"""Users' own files: `liqmart import FILE --family F`, and files dropped into warehouse/inbox/<family>/.

A file is validated against its family's layout (the raw table's columns and rules) before anything is
written; an accepted file is landed and loaded like any other batch (source `inbox`). The sensor only reads
and moves files: it validates without touching the warehouse and hands accepted files to a run in the
writer pool, so the daemon never holds a DuckDB connection. Refused files move to inbox/rejected/ with a
`.reason.txt` beside them; loaded ones to inbox/loaded/. Only what is wrong with a file's content rejects it:
a run that fails for another reason (the warehouse locked past its limit, a crash, a killed run) leaves the
file where it is, and the next tick tries again under a new run key. A load is recorded as a materialization
of its raw table (of each year it touches, for a yearly table); the automation sensor then runs the table's
checks and rebuilds what is built from it, so the marts show it.
"""

from pathlib import Path

import dagster as dg

from orchestration import settings
from orchestration.lib.batch import Refused
from orchestration.lib.inbox import (  # noqa: F401  (FAMILIES, inbox_root, import_file: read here by the tests)
    FAMILIES,
    SUFFIXES,
    import_file,
    inbox_root,
    loaded_partitions,
    move_to,
    reject,
    validate,
)
from orchestration.lib.landing import LandingZone
from orchestration.lib.raw_tables import RAW_TABLES
from orchestration.lib.warehouse import Warehouse, file_sha256, quarantine
from transforms.errors import SourceError


class InboxFile(dg.Config):
    path: str
    family: str


@dg.op(pool=settings.WRITER_POOL, description="Load one validated inbox file into raw.<family>.")
def load_inbox_file(
    context: dg.OpExecutionContext, config: InboxFile, warehouse: Warehouse, landing: LandingZone
) -> None:
    path = Path(config.path)
    try:
        meta = import_file(warehouse, landing, path, config.family, context.run_id)
    except SourceError as error:  # changed on disk since the sensor looked: refuse it the same way
        reject(path, str(error))
        raise dg.Failure(description=str(error)) from error
    except Refused as refused:
        reject(path, str(refused.error))
        raise dg.Failure(description=str(refused.error)) from refused
    # Anything else (a lock held past LIQMART_LOCK_TIMEOUT, a full disk) says nothing about the file: it stays
    # in the inbox and the sensor's next tick retries it.
    move_to(path, path.parent.parent / "loaded")
    for partition in loaded_partitions(config.family, meta):
        context.log_event(
            dg.AssetMaterialization(
                asset_key=RAW_TABLES[config.family].key,
                partition=partition,
                metadata=meta,
                description=f"inbox file {path.name}",
            )
        )


@dg.job(description="Load one file from warehouse/inbox/<family>/ (launched by inbox_sensor).")
def inbox_import_job():
    load_inbox_file()


class RefusedFile(dg.Config):
    path: str  # where the sensor moved it: inbox/rejected/<name>
    family: str


@dg.op(
    pool=settings.WRITER_POOL,
    description="Keep the rejected rows of a file the inbox sensor refused in ops.quarantine (the sensor itself "
    "never opens the warehouse).",
)
def quarantine_refused_file(context: dg.OpExecutionContext, config: RefusedFile, warehouse: Warehouse) -> None:
    path = Path(config.path)
    try:
        validate(path, config.family)
    except SourceError as error:
        with warehouse.get_connection() as conn:
            kept = quarantine(conn, error, config.family, context.run_id)
        context.log.warning(
            f"inbox: refused {path.name}: {error}; {error.rows} rejected row(s) ({kept} rule violation(s) "
            "recorded) in ops.quarantine"
        )
        return
    context.log.info(f"{path.name} validates now (changed since it was refused): nothing to quarantine")


@dg.job(description="Record a refused inbox file's rejected rows in ops.quarantine (launched by inbox_sensor).")
def inbox_refusal_job():
    quarantine_refused_file()


@dg.sensor(
    jobs=[inbox_import_job, inbox_refusal_job],
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Watches warehouse/inbox/<family>/ for CSV or Parquet files: refused files move to "
    "inbox/rejected/ with a reason file and their rejected rows are kept in ops.quarantine by an "
    "inbox_refusal_job run; accepted ones are loaded by one run each.",
)
def inbox_sensor(context: dg.SensorEvaluationContext):
    root = inbox_root()
    requests, refused = [], []
    for family in FAMILIES:
        folder = root / family
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES):
            try:
                validate(path, family)
            except SourceError as error:
                digest = file_sha256(path)
                target = reject(path, str(error))
                context.log.warning(f"inbox: refused {path.name}: {error} (moved to {target})")
                refused.append(
                    dg.RunRequest(
                        run_key=f"refused:{family}:{path.name}:{digest}",
                        job_name=inbox_refusal_job.name,
                        run_config=dg.RunConfig(
                            ops={"quarantine_refused_file": RefusedFile(path=str(target), family=family)}
                        ),
                        tags={"inbox/family": family, "inbox/file": path.name, "inbox/refused": str(error)[:200]},
                    )
                )
                continue
            digest = file_sha256(path)  # in blocks: a large file is never read whole
            earlier = context.instance.get_run_records(dg.RunsFilter(tags={"inbox/digest": digest}))
            if any(r.dagster_run.status not in FINISHED for r in earlier):
                continue  # a run for this very file is queued or running
            # One run key per attempt: a transient failure (lock, crash) is retried on the next tick.
            attempt = len(earlier) + 1
            requests.append(
                dg.RunRequest(
                    run_key=f"{family}:{path.name}:{digest}:{attempt}",
                    job_name=inbox_import_job.name,
                    run_config=dg.RunConfig(ops={"load_inbox_file": InboxFile(path=str(path), family=family)}),
                    tags={
                        "inbox/family": family,
                        "inbox/file": path.name,
                        "inbox/digest": digest,
                        "inbox/attempt": str(attempt),
                    },
                )
            )
    # A refusal is a run of its own in the tick list (inbox_refusal_job, the reason in its `inbox/refused` tag):
    # it records the rejected rows in ops.quarantine, which the sensor, holding no connection, cannot.
    return dg.SensorResult(run_requests=refused + requests)


FINISHED = {dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED}
