"""Users' own files, validated against their family's layout, landed and loaded like any other batch; refused
files moved aside with their reason. The sensor and the job that use this are `defs/inbox/inbox_import.py`;
`liqmart import` calls it directly."""

import shutil
from pathlib import Path

from orchestration import settings
from orchestration.lib.batch import load_landed, refuse
from orchestration.lib.landing import LandingZone
from orchestration.lib.raw_tables import RAW_TABLES
from orchestration.lib.warehouse import Warehouse
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
    """The partitions a load changed: each year its rows touch for a yearly table (the first partition for the
    history before it), else the whole table."""
    if not RAW_TABLES[family].yearly:
        return [None]
    if "batch_first_date" not in meta:
        return []
    first, last = (int(meta[k][:4]) for k in ("batch_first_date", "batch_last_date"))
    return sorted({partition_key_for(f"{year}-01-01") for year in range(first, last + 1)})


def move_to(path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    shutil.move(str(path), target)
    return target


def reject(path: Path, reason: str) -> Path:
    target = move_to(path, path.parent.parent / "rejected")
    target.with_name(target.name + ".reason.txt").write_text(reason + "\n")
    return target
