"""The `lake` deployment: the warehouse as a DuckLake, its catalog in Postgres and its data as Parquet in S3.

Selected by the environment, both or neither:
- LIQMART_LAKE_CATALOG: the catalog, a Postgres connection string (`dbname=lake host=... user=...`) or URI
  (`postgresql://user:pw@host:5432/lake`);
- LIQMART_LAKE_DATA: where the Parquet files go, `s3://bucket/prefix/` or a directory;
- for S3, the standard AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL and AWS_REGION.

Unset, the warehouse is the embedded DuckDB file (orchestration/lib/warehouse.py). Every connection to the lake
is an in-memory DuckDB that attaches the lake as `lake` and uses it, so SQL written for the file runs unchanged;
many processes may write at once (DuckLake commits through the catalog's transactions) and readers never block
writers. The DuckLake, postgres and httpfs extensions are taken from their installed wheels, which exist for
duckdb 1.5.5 only; DuckDB is told never to download one.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import duckdb

CATALOG_ENV = "LIQMART_LAKE_CATALOG"
DATA_ENV = "LIQMART_LAKE_DATA"
EXTENSIONS_ENV = "LIQMART_DUCKDB_EXTENSIONS"  # where the wheels' extension files are laid out (dbt reads it too)
ALIAS = "lake"
WRITERS = 4  # steps and runs writing the lake at once (the executor's processes, the instance's pool and queue)
# The wheels' files and the names DuckDB loads them by (postgres's entry point is `postgres_scanner`).
EXTENSION_WHEELS = {"ducklake": "ducklake", "postgres": "postgres_scanner", "httpfs": "httpfs"}
# What DuckLake says when another process committed first and the two changes cannot both stand.
# Only DuckLake's own words: a broader match ("conflict") would also take the file's "Conflicting lock" for one.
_CONFLICT = ("Transaction conflict", "by another transaction")

# What Postgres says when two processes create a new catalog's tables at once.
_CATALOG_RACE = ("already exists", "duplicate key value")

T = TypeVar("T")


class LakeMisconfigured(ValueError):
    pass


class LakeMissing(RuntimeError):
    def __init__(self, lake: "Lake"):
        super().__init__(
            f"there is no lake yet at {lake.describe()}: a reader cannot create one. Run `liqmart run` (or any "
            f"writer) once with the same {CATALOG_ENV} and {DATA_ENV} first"
        )


@dataclass(frozen=True)
class Lake:
    catalog: str
    data: str

    @property
    def on_s3(self) -> bool:
        return self.data.startswith("s3://")

    def describe(self) -> str:
        """Where the lake is, credentials left out (a URI's user and password, a `password=` setting)."""
        catalog = self.catalog
        if "://" in catalog:
            parts = urlsplit(catalog)
            if parts.password is not None or parts.username:
                host = parts.hostname or ""
                catalog = parts._replace(netloc=f"{host}:{parts.port}" if parts.port else host).geturl()
        catalog = re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r"\1***", catalog)
        return f"DuckLake (catalog {catalog}, data {self.data})"


def configured(environ: dict | None = None) -> Lake | None:
    """The lake the environment selects, or None for the embedded file. One of the two alone is refused."""
    environ = os.environ if environ is None else environ
    catalog, data = environ.get(CATALOG_ENV, "").strip(), environ.get(DATA_ENV, "").strip()
    if not catalog and not data:
        return None
    if not catalog or not data:
        missing = CATALOG_ENV if not catalog else DATA_ENV
        raise LakeMisconfigured(
            f"{missing} is not set: the lake needs both {CATALOG_ENV} (its Postgres catalog) and {DATA_ENV} "
            f"(s3://bucket/prefix/ or a directory); unset both for the embedded DuckDB file"
        )
    if "'" in catalog or "'" in data:
        raise LakeMisconfigured(f"{CATALOG_ENV} and {DATA_ENV} must not contain a single quote")
    if not data.startswith("s3://"):
        data = str(Path(data).resolve())
    if not data.endswith("/"):
        data += "/"
    return Lake(catalog=catalog, data=data)


def _platform() -> str:
    with duckdb.connect() as conn:
        return conn.execute("pragma platform").fetchone()[0]


@cache
def extension_directory() -> Path:
    """A DuckDB extension directory holding the installed wheels' extension files, laid out as DuckDB looks
    for them (`<dir>/v<version>/<platform>/<name>.duckdb_extension`); made once per environment."""
    root = Path(os.environ.get(EXTENSIONS_ENV) or Path(sys.prefix) / "share" / "liqmart" / "duckdb_extensions")
    version = f"v{duckdb.__version__}"
    target = root / version / _platform()
    target.mkdir(parents=True, exist_ok=True)
    for wheel, name in EXTENSION_WHEELS.items():
        spec = importlib.util.find_spec(f"duckdb_extension_{wheel}")
        if spec is None or not spec.submodule_search_locations:
            raise LakeMisconfigured(
                f"the DuckDB extension wheel duckdb-extension-{wheel} is not installed; run `make install`"
            )
        source = Path(spec.submodule_search_locations[0]) / "extensions" / version / f"{wheel}.duckdb_extension"
        if not source.is_file():
            raise LakeMisconfigured(
                f"duckdb-extension-{wheel} has no extension for duckdb {duckdb.__version__} ({source}); "
                f"the pins in constraints.txt keep the two in step"
            )
        dest = target / f"{name}.duckdb_extension"
        if not dest.exists() or dest.stat().st_size != source.stat().st_size:
            tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
            shutil.copyfile(source, tmp)
            os.replace(tmp, dest)
    return root


def prepare_dbt_environment(lake: Lake) -> None:
    """What the `lake` target of transforms/dbt/profiles.yml reads, set for the dbt subprocesses this process
    starts: the extension folder, and the data path as every connection here gives it (absolute, one `/`)."""
    os.environ[EXTENSIONS_ENV] = str(extension_directory())
    os.environ[DATA_ENV] = lake.data


def duckdb_config() -> dict:
    return {
        "extension_directory": str(extension_directory()),
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": True,
    }


def quote(value: str) -> str:
    return str(value).replace("'", "''")


def s3_secret_sql(environ: dict | None = None) -> str:
    """CREATE SECRET for the object store, from the standard AWS variables (an endpoint's scheme sets SSL)."""
    environ = os.environ if environ is None else environ
    endpoint = environ.get("AWS_ENDPOINT_URL", "").strip()
    parts = urlsplit(endpoint if "://" in endpoint else f"https://{endpoint}") if endpoint else None
    options = {
        "key_id": environ.get("AWS_ACCESS_KEY_ID", ""),
        "secret": environ.get("AWS_SECRET_ACCESS_KEY", ""),
        "region": environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION") or "us-east-1",
    }
    if parts:
        # A custom endpoint (MinIO, SeaweedFS, R2) is addressed by path, as they expect.
        options |= {"endpoint": parts.netloc, "url_style": "path", "use_ssl": str(parts.scheme == "https").lower()}
    sql = ", ".join(["type s3", *(f"{k} '{quote(v)}'" for k, v in options.items())])
    return f"create or replace secret liqmart_lake_s3 ({sql})"


def connect(lake: Lake, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake attached as `lake` and in use; the caller closes it."""
    conn = duckdb.connect(config=duckdb_config())
    try:
        if lake.on_s3:
            conn.execute(s3_secret_sql())
        options = f"data_path '{lake.data}'" + (", read_only" if read_only else "")
        attach = f"attach 'ducklake:postgres:{lake.catalog}' as {ALIAS} ({options})"
        for attempt in range(5):
            try:
                conn.execute(attach)
                break
            except duckdb.Error as error:
                # The first attach of a new catalog creates DuckLake's tables in it; two processes doing so at
                # once collide there, and the loser finds the catalog made on its next try.
                if read_only and "creating a new DuckLake is explicitly disabled" in str(error):
                    raise LakeMissing(lake) from None
                if attempt == 4 or not any(s in str(error) for s in _CATALOG_RACE):
                    raise
                time.sleep(0.2 * (attempt + 1))
        conn.execute(f"use {ALIAS}")
    except BaseException:
        conn.close()
        raise
    return conn


def snapshot_id(conn: duckdb.DuckDBPyConnection) -> int:
    """The lake's current snapshot: what a reader or an export saw, for good."""
    return conn.execute(f"select max(snapshot_id) from {ALIAS}.snapshots()").fetchone()[0]


def is_conflict(error: BaseException) -> bool:
    return isinstance(error, duckdb.Error) and any(s in str(error) for s in _CONFLICT)


def retrying_conflicts(work: Callable[[], T], attempts: int = 8, say: Callable[[str], None] | None = None) -> T:
    """Run `work` (one whole transaction) again when another writer's commit conflicted with it."""
    delay = 0.1
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except duckdb.Error as error:
            if not is_conflict(error) or attempt == attempts:
                raise
            if say:
                say(f"lake commit conflicted with another writer (attempt {attempt} of {attempts}): {error}")
            time.sleep(delay)
            delay = min(delay * 2, 2.0)
    raise AssertionError("unreachable")
