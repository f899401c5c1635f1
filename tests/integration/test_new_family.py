"""A new source family is one registry entry, one parser and one asset module (README, "Adding things").

On a copy of the project, a toy family is added exactly that way; the code location then shows its raw
asset, its Great Expectations checks, its freshness check, its close job and its inbox layout, and a file in
that layout loads through `liqmart import`.
"""

import os
import shutil
import subprocess
import sys

import pytest

from orchestration import settings

# A copy of the project and processes of its own: `make test` runs it, `make test-fast` leaves it out.
pytestmark = pytest.mark.slow

REGISTRY_ENTRY = """

# A toy family, added the way the README says.
RAW_TABLES["toy_quotes"] = RawTable(
    "toy_quotes",
    "A toy family: one quote per id and day.",
    keys=["quote_id", "date"],
    date_column="date",
    columns={"date": "DATE", "quote_id": "VARCHAR", "value": "DOUBLE"},
    ranges={"value": (0, None, True)},
    not_null=["date", "quote_id", "value"],
    identifiers=["quote_id"],
    max_age=timedelta(days=3),
    closes=("us",),
)
"""

PARSER = '''"""The toy family's format: `day,id,quote`."""

import polars as pl

from transforms.validation import ROW, as_text, enforce, read_csv_text, require_columns, to_date, to_float, unparseable
from transforms.validation import with_row_numbers


def parse_toy_csv(text, file, source="toy"):
    text = as_text(source, file, text)
    raw = read_csv_text(source, file, text)
    require_columns(source, file, raw.columns, ["day", "id", "quote"])
    raw = with_row_numbers(raw)
    typed = raw.select(ROW, to_date("day").alias("date"), pl.col("id").alias("quote_id"),
                       to_float("quote").alias("value"), pl.col("day").alias("_d"), pl.col("quote").alias("_q"))
    return enforce(source, file, typed, raw, [unparseable("_d", "date", "day"), unparseable("_q", "value", "quote")])
'''

ASSET = '''"""raw/toy_quotes."""

from orchestration.lib.batch import Input
from orchestration.lib.raw_asset import Family, Inputs, raw_asset
from transforms.parsers.toy import parse_toy_csv

FILE = "toy/quotes.csv"


def inputs(load):
    return Inputs(Input("bundled_snapshot", lambda: {FILE: load.snapshot.read_bytes(FILE)},
                        lambda p: parse_toy_csv(p[FILE], FILE)))


raw_toy_quotes = raw_asset(Family("toy_quotes", inputs))
'''

PROBE = """
import json, orchestration
import dagster as dg
from orchestration.definitions import defs
from orchestration.defs.inbox.inbox_import import FAMILIES
from orchestration.defs.automation.schedules import CLOSES
graph = defs.resolve_asset_graph()
key = dg.AssetKey(["raw", "toy_quotes"])
print(json.dumps({
    "package": orchestration.__file__,
    "asset": key in graph.get_all_asset_keys(),
    "checks": sorted(c.name for c in graph.asset_check_keys if c.asset_key == key),
    "inbox": "toy_quotes" in FAMILIES,
    "closes": [job for job, _, families, _ in CLOSES if "toy_quotes" in families],
}))
"""


def test_a_new_family_is_a_registry_entry_a_parser_and_an_asset_module(tmp_path):
    project = tmp_path / "project"
    tracked = subprocess.run(
        ["git", "ls-files"], capture_output=True, text=True, cwd=settings.PROJECT_ROOT, check=True
    ).stdout.split()
    for name in tracked:
        target = project / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(settings.PROJECT_ROOT / name, target)
    # dbt's manifest, parsed at install time (git-ignored), with its times kept so it is not stale.
    shutil.copytree(settings.DBT_PROJECT_DIR / "target", project / "transforms/dbt/target", copy_function=shutil.copy2)
    registry = project / "orchestration/lib/raw_tables.py"
    registry.write_text(registry.read_text() + REGISTRY_ENTRY)
    (project / "transforms/parsers/toy.py").write_text(PARSER)
    (project / "orchestration/defs/raw/toy.py").write_text(ASSET)
    (project / "data/snapshot/toy").mkdir()
    (project / "data/snapshot/toy/quotes.csv").write_text("day,id,quote\n2026-01-05,A,1.5\n")

    env = {
        **os.environ,
        "PYTHONPATH": str(project),
        settings.WAREHOUSE_ENV: str(tmp_path / "wh" / "liquidity.duckdb"),
        "DAGSTER_HOME": str(tmp_path / "home"),
    }
    probe = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=project, env=env, timeout=300
    )
    assert probe.returncode == 0, probe.stderr[-3000:]
    import json

    seen = json.loads(probe.stdout.strip().splitlines()[-1])
    assert seen["package"].startswith(str(project)), "the probe must load the copy, not the installed project"
    assert seen["asset"] and seen["inbox"] and seen["closes"] == ["us_close_job"]
    assert set(seen["checks"]) == {
        "schema_and_types",
        "unique_keys",
        "value_ranges",
        "no_future_dates",
        "freshness_check",
    }

    # A user's file in the toy layout loads, and a bad one is refused by the toy's own rules.
    (tmp_path / "mine.csv").write_text("date,quote_id,value\n2026-01-06,B,2.5\n")
    liqmart = [sys.executable, "-c", "from orchestration.commands.cli import main; raise SystemExit(main())"]

    def imported(name: str) -> subprocess.CompletedProcess:
        command = [*liqmart, "import", str(tmp_path / name), "--family", "toy_quotes"]
        return subprocess.run(command, capture_output=True, text=True, cwd=project, env=env, timeout=300)

    done = imported("mine.csv")
    assert done.returncode == 0 and "loaded 1 rows" in done.stdout, done.stderr[-3000:]
    (tmp_path / "bad.csv").write_text("date,quote_id,value\n2026-01-07,C,-1\n")
    refused = imported("bad.csv")
    assert refused.returncode == 1 and "value must be > 0" in refused.stderr, refused.stderr[-3000:]
