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

import shutil
from pathlib import Path

import dagster as dg

from orchestration import settings
from orchestration.lib.batch import Refused, load_landed, refuse
from orchestration.lib.landing import LandingZone
from orchestration.lib.raw_tables import RAW_TABLES
from orchestration.lib.warehouse import Warehouse, file_sha256
from orchestration.lib.window import partition_key_for
from transforms.errors import SourceError
from transforms.parsers.inbox import read_user_file

# Families a user may supply (the registry's RawTable.inbox); curated reference tables stay curated.
FAMILIES = [t.name for t in RAW_TABLES.values() if t.inbox]
SUFFIXES = (".csv", ".parquet")


def inbox_root(warehouse: Path | str | None = None) -> Path:
    return Path(warehouse or settings.warehouse_path()).resolve().parent / "inbox"


def _layout(path: Path, family: str):
    if family not in FAMILIES:
        raise SourceError("inbox", path.name, f"family must be one of {', '.join(FAMILIES)}", detail=family)
    spec = RAW_TABLES[family]
    return spec, dict(columns=spec.columns, rules=spec.row_rules(settings.today_utc()), keys=spec.keys)


def validate(path: Path, family: str) -> int:
    """The file's row count if it fits the family's layout; raises SourceError naming the file, row and rule.
    Reads the file in chunks and keeps none of it."""
    _, layout = _layout(path, family)
    return read_user_file(path, path.name, **layout)


def import_file(warehouse: Warehouse, landing: LandingZone, path: Path, family: str, run_id: str) -> dict:
    """Validate, land and load one user file, streaming it chunk by chunk into its landing batch; raises
    `Refused` (rejected rows kept in ops.quarantine; no batch landed) or SourceError for an unknown family."""
    spec, layout = _layout(path, family)
    name = f"inbox/{family}/{path.name}"
    try:
        with landing.staged(family, "inbox", landing.checksum_file(name, path)) as stage:
            read_user_file(path, path.name, **layout, sink=stage.write)
    except SourceError as error:
        refuse(warehouse, error, family, run_id)
    meta = load_landed(warehouse, landing, family, "inbox", stage.batch, [name])
    if spec.date_column:
        with warehouse.get_connection() as conn:
            first, last = conn.execute(
                f"select min({spec.date_column})::date, max({spec.date_column})::date from read_parquet(?)",
                [str(stage.batch.path)],
            ).fetchall()[0]
        if first is not None:
            meta.update(batch_first_date=str(first), batch_last_date=str(last))
    return meta


def loaded_partitions(family: str, meta: dict) -> list[str | None]:
    """The partitions a load changed: each year its rows touch for a yearly table, else the whole table."""
    if not RAW_TABLES[family].yearly:
        return [None]
    if "batch_first_date" not in meta:
        return []
    first, last = (int(meta[k][:4]) for k in ("batch_first_date", "batch_last_date"))
    return [partition_key_for(f"{year}-01-01") for year in range(first, last + 1)]


def _move(path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    shutil.move(str(path), target)
    return target


def reject(path: Path, reason: str) -> Path:
    target = _move(path, path.parent.parent / "rejected")
    target.with_name(target.name + ".reason.txt").write_text(reason + "\n")
    return target


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
    _move(path, path.parent.parent / "loaded")
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


@dg.sensor(
    job=inbox_import_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Watches warehouse/inbox/<family>/ for CSV or Parquet files: refused files move to "
    "inbox/rejected/ with a reason file, accepted ones are loaded by one run each.",
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
                target = reject(path, str(error))
                context.log.warning(f"inbox: refused {path.name}: {error} (moved to {target})")
                refused.append(f"{family}/{path.name}: {error}")
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
                    run_config=dg.RunConfig(ops={"load_inbox_file": InboxFile(path=str(path), family=family)}),
                    tags={
                        "inbox/family": family,
                        "inbox/file": path.name,
                        "inbox/digest": digest,
                        "inbox/attempt": str(attempt),
                    },
                )
            )
    # A tick that refused a file says so in the UI's tick list, not only in its log: "0 runs requested" alone
    # reads like an idle tick.
    if refused and not requests:
        return dg.SensorResult(
            skip_reason=f"refused {len(refused)} file(s), moved to inbox/rejected/: " + "; ".join(refused)
        )
    return dg.SensorResult(run_requests=requests)


FINISHED = {dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED}
