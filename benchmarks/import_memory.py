"""Benchmark: peak memory and time of `liqmart import` on a very large prices file.

    .venv/bin/python benchmarks/import_memory.py [--rows 10000000] [--format csv|parquet]

Writes a prices file of ROWS distinct (asset_id, date) rows in the inbox layout (every asset declared in the
asset reference, one bar per day going back from 2025-12-31; bars as OHLC rules want them) into a temporary
directory (in a process of its own, so that the benchmark's process stays small: Linux carries a parent's
peak resident size into a child it forks), then runs `liqmart import FILE --family prices` as its own process
on a fresh warehouse and reads that process's peak resident memory (wait4's rusage of that one child).
The target: under 2 GB for ten million
rows. Then checks that every row is in raw.prices (from the published copy) and prints the figures.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TARGET_MB = 2048


def assets() -> list[str]:
    with open(ROOT / "transforms/dbt/seeds/asset_reference.csv") as handle:
        return [row["asset_id"] for row in csv.DictReader(handle)]


def write_file(path: Path, rows: int, fmt: str) -> None:
    ids = assets()
    days = -(-rows // len(ids))
    frame = (
        pl.DataFrame({"asset_id": ids})
        .join(pl.DataFrame({"n": pl.int_range(0, days, eager=True)}), how="cross")
        .head(rows)
        .with_columns(
            date=pl.date(2025, 12, 31) - pl.duration(days=pl.col("n")), close=100 + (pl.col("n") % 97).cast(pl.Float64)
        )
        .select(
            "date",
            "asset_id",
            open=pl.col("close") - 1,
            high=pl.col("close") + 2,
            low=pl.col("close") - 2,
            close="close",
            adj_close=pl.lit(None, pl.Float64),
            volume=(pl.col("n") % 1000).cast(pl.Float64),
        )
    )
    if fmt == "csv":
        frame.write_csv(path, date_format="%Y-%m-%d")
    else:
        frame.write_parquet(path)


def measured(command: list[str], env: dict, log: Path) -> tuple[int, float, float]:
    """Exit code, seconds and peak resident MB of one child process (its own rusage, not its siblings')."""
    started = time.perf_counter()
    with open(log, "w") as out:
        child = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument("--write", help=argparse.SUPPRESS)  # the file-writing child
    args = parser.parse_args()
    if args.write:
        write_file(Path(args.write), args.rows, args.format)
        return 0
    with tempfile.TemporaryDirectory(prefix="liqmart-import-bench-") as tmp:
        work = Path(tmp)
        source = work / f"prices_{args.rows}.{args.format}"
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--write", str(source), "--rows", str(args.rows), "--format", args.format],
            check=True,
        )
        print(
            f"wrote {args.rows:,} rows, {source.stat().st_size / 1e6:,.0f} MB of {args.format.upper()} "
            f"in {time.perf_counter() - started:.1f} s"
        )
        env = {
            **os.environ,
            "LIQUIDITY_WAREHOUSE": str(work / "wh" / "liquidity.duckdb"),
            "DAGSTER_HOME": str(work / "home"),
        }
        log = Path(tempfile.gettempdir()) / "liqmart-import-bench.log"
        code, seconds, peak_mb = measured([str(BIN / "liqmart"), "import", str(source), "--family", "prices"], env, log)
        if code:
            print(log.read_text()[-3000:], file=sys.stderr)
            print(f"liqmart import failed (exit {code}); full output in {log}", file=sys.stderr)
            return 1
        with duckdb.connect(str(work / "wh" / "published" / "liquidity.duckdb"), read_only=True) as conn:
            loaded = conn.execute("select count(*) from raw.prices where _source = 'inbox'").fetchone()[0]
    print(
        f"liqmart import: {seconds:.1f} s, peak resident memory {peak_mb:,.0f} MB "
        f"(target < {TARGET_MB:,} MB: {'met' if peak_mb < TARGET_MB else 'NOT met'}); its output: {log}"
    )
    print(f"rows in raw.prices from the file: {loaded:,} of {args.rows:,}")
    print(
        f"machine: {os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB"
    )
    return 0 if loaded == args.rows and peak_mb < TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
