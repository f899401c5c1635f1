"""Benchmark: our dbt layering for fct_asset_daily against the same computation as one plain DuckDB query.

    .venv/bin/python benchmarks/mart_scale.py [--assets 2000] [--years 20] [--seed 7]

Generates a seeded synthetic price panel (random-walk closes on business days), loads it as raw.prices in a
temporary DuckDB file, then measures, each in its own process so peak memory is that side's alone:
  1. `dbt build` of stg_raw__prices -> int_asset_closes_selected -> int_asset_returns_computed ->
     fct_asset_daily (the real models), and
  2. one CREATE TABLE AS with the same columns in plain DuckDB SQL.
The dbt project is parsed before the clock starts, as `make` does for the real project (dagster-dbt
loads that manifest; a run re-parses only changed files). Prints wall time, peak RSS and the ratio, plus the
models' own execution times from dbt's run_results.json, so the process start-up and the layering can be
told apart; checks both tables agree. A third side runs the plain query into a table with fct_asset_daily's
enforced contract (not-null columns, primary key (asset_id, date)), to tell dbt's layering from the cost of
the constraint. A fourth side is the daily refresh: one more business day of every asset lands as a new batch and
`dbt run` refreshes the incremental fct_asset_daily (the full build side runs with `--full-refresh`). Targets:
ratio <= 1.5, peak < 4 GB, refresh <= 10% of the full build.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

import duckdb

ROOT = Path(__file__).resolve().parents[1]
DBT_DIR = ROOT / "transforms" / "dbt"
sys.path.insert(0, str(ROOT))
from orchestration.lib.warehouse import OPS_DDL  # noqa: E402 - the warehouse's own load record

PLAIN_SELECT = """
with r as (
    select p.asset_id, p.date, p.close, a.asset_class,
           p.close / lag(p.close) over w - 1 as return_1d, ln(p.close / lag(p.close) over w) as log_return_1d
    from raw.prices p join marts.dim_asset a using (asset_id)
    window w as (partition by p.asset_id order by p.date)
)
select date, asset_id, close, return_1d, log_return_1d,
       max(close) over running as running_peak,
       close / max(close) over running - 1 as drawdown_from_peak,
       case when count(log_return_1d) over last_20 = 20 then stddev_samp(log_return_1d) over last_20
            * sqrt(case when asset_class = 'crypto' then 365 else 252 end) end as realized_vol_20d,
       case when count(return_1d) over prior_250 >= 60 then (return_1d - avg(return_1d) over prior_250)
            / nullif(stddev_samp(return_1d) over prior_250, 0) end as zscore_return_1d
from r
window running as (partition by asset_id order by date rows between unbounded preceding and current row),
       last_20 as (partition by asset_id order by date rows between 19 preceding and current row),
       prior_250 as (partition by asset_id order by date rows between 250 preceding and 1 preceding)
"""
PLAIN_SQL = "create or replace table bench.plain_asset_daily as " + PLAIN_SELECT
# The same query into a table with fct_asset_daily's enforced contract: its not-null columns and primary key
# (asset_id, date), which DuckDB enforces with an index. dbt's contract builds the table this way.
PLAIN_PK_SQL = (
    "create or replace table bench.plain_pk (date date not null, asset_id varchar not null, close double not null, "
    "return_1d double, log_return_1d double, running_peak double, drawdown_from_peak double, "
    "realized_vol_20d double, zscore_return_1d double, primary key (asset_id, date)); "
    "insert into bench.plain_pk " + PLAIN_SELECT
)


def generate(db: Path, assets: int, years: int, seed: int) -> int:
    with duckdb.connect(str(db)) as conn:
        conn.execute("create schema raw; create schema marts; create schema bench")
        conn.execute(OPS_DDL)
        conn.execute(f"select setseed({(seed % 1000) / 1000})")
        conn.execute(f"""
            create table marts.dim_asset as
            select 'A' || lpad(i::varchar, 5, '0') as asset_id, 'synthetic ' || i as name,
                   case when i % 10 = 0 then 'crypto' else 'equity' end as asset_class,
                   'secondary' as liquidity_tier, 'USD' as currency, 'USD' as unit, 'synthetic' as source
            from range({assets}) t(i)""")
        conn.execute(f"""
            create table raw.prices as
            with days as (
                select d::date as date from range(date '2006-01-02', date '2006-01-02' + interval {years} year,
                                                   interval 1 day) t(d)
                where dayofweek(d) between 1 and 5)
            select date, asset_id, null::double as open, null::double as high, null::double as low,
                   100 * exp(sum(0.02 * (random() - 0.5)) over (partition by asset_id order by date)) as close,
                   null::double as adj_close, null::double as volume,
                   'synthetic' as _source, 'history' as _batch_id, now() as _ingested_at
            from days cross join (select asset_id from marts.dim_asset)""")
        record_batch(conn, "history")
        return conn.execute("select count(*) from raw.prices").fetchone()[0]


def record_batch(conn, batch_id: str) -> None:
    """The load record the warehouse keeps for a batch (orchestration/lib/warehouse.py, load_batch)."""
    conn.execute(
        "insert into ops.batches select ?, 'prices', 'synthetic', 'raw.prices', '[]', count(*), now(), now(), '' "
        "from raw.prices where _batch_id = ?",
        [batch_id, batch_id],
    )


def add_day(db: Path, n: int) -> None:
    """The next business day of every asset, as one new batch: what a daily close loads."""
    with duckdb.connect(str(db)) as conn:
        last = conn.execute("select max(date) from raw.prices").fetchone()[0]
        conn.execute(f"""
            insert into raw.prices
            select (date '{last}' + interval (case when dayofweek(date '{last}') = 5 then 3 else 1 end) day)::date,
                   asset_id, null, null, null, close * exp(0.02 * (random() - 0.5)), null, null,
                   'synthetic', 'day{n}', now()
            from raw.prices where date = '{last}'""")
        record_batch(conn, f"day{n}")


def measure(cmd: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and peak RSS (GB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{cmd[0]} failed: {proc.stderr.read().decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024 / 1024  # Linux reports KB


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--assets", type=int, default=2000)
    args.add_argument("--years", type=int, default=20)
    args.add_argument("--seed", type=int, default=7)
    args.add_argument("--repeat", type=int, default=3, help="runs of each side; the median is reported")
    opts = args.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mart_scale_"))
    try:
        db = work / "panel.duckdb"
        t0 = time.perf_counter()
        rows = generate(db, opts.assets, opts.years, opts.seed)
        print(
            f"synthetic panel: {opts.assets} assets x {opts.years} years of business days = {rows:,} rows "
            f"(generated in {time.perf_counter() - t0:.1f}s, seed {opts.seed})"
        )
        env = {**os.environ, "LIQUIDITY_WAREHOUSE": str(db)}
        project = work / "dbt"
        shutil.copytree(DBT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
        dbt = str(Path(sys.executable).parent / "dbt")
        # Untimed: build the manifest the timed run re-uses (partial parsing), as `make install` does.
        subprocess.run(
            [dbt, "parse", "--quiet", "--project-dir", str(project), "--profiles-dir", str(project)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        refresh_cmd = [
            dbt,
            "run",
            "--quiet",
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
            "--select",
            "stg_raw__prices",
            "int_asset_closes_selected",
            "fct_asset_daily",
        ]
        dbt_cmd = [*refresh_cmd, "--full-refresh"]
        plain_cmd = [sys.executable, "-c", f"import duckdb; duckdb.connect({str(db)!r}).execute({PLAIN_SQL!r})"]
        pk_cmd = [sys.executable, "-c", f"import duckdb; duckdb.connect({str(db)!r}).execute({PLAIN_PK_SQL!r})"]
        # Alternate the sides so drift in the machine's load hits them alike; report medians.
        runs = []
        for n in range(opts.repeat):
            full, plain, pk = measure(dbt_cmd, env), measure(plain_cmd, env), measure(pk_cmd, env)
            full_models = json.loads((project / "target" / "run_results.json").read_text())["results"]
            add_day(db, n)
            runs.append((full, plain, pk, measure(refresh_cmd, env)))
        refresh_wall, refresh_mem = median(r[3][0] for r in runs), max(r[3][1] for r in runs)
        refresh_s = {
            r["unique_id"].rsplit(".", 1)[-1]: r["execution_time"]
            for r in json.loads((project / "target" / "run_results.json").read_text())["results"]
        }
        subprocess.run(plain_cmd, env=env, check=True)  # the plain table over the refreshed days too
        dbt_wall, dbt_mem = median(r[0][0] for r in runs), max(r[0][1] for r in runs)
        plain_wall, plain_mem = median(r[1][0] for r in runs), max(r[1][1] for r in runs)
        pk_wall, pk_mem = median(r[2][0] for r in runs), max(r[2][1] for r in runs)
        model_s = {r["unique_id"].rsplit(".", 1)[-1]: r["execution_time"] for r in full_models}
        with duckdb.connect(str(db), read_only=True) as conn:
            diff = conn.execute("""
                select count(*) from marts.fct_asset_daily f join bench.plain_asset_daily p using (asset_id, date)
                where abs(coalesce(f.drawdown_from_peak, 0) - coalesce(p.drawdown_from_peak, 0)) > 1e-12
                   or abs(coalesce(f.zscore_return_1d, 0) - coalesce(p.zscore_return_1d, 0)) > 1e-9
                   or abs(coalesce(f.realized_vol_20d, 0) - coalesce(p.realized_vol_20d, 0)) > 1e-9
                   or f.running_peak <> p.running_peak""").fetchone()[0]
            n = conn.execute("select count(*) from marts.fct_asset_daily").fetchone()[0]
            n_plain = conn.execute("select count(*) from bench.plain_asset_daily").fetchone()[0]
        print(f"{'':32} {'wall s':>8} {'peak GB':>8}   (median of {opts.repeat} runs each; peak is the max)")
        print(f"{'dbt layers (fct_asset_daily)':32} {dbt_wall:>8.2f} {dbt_mem:>8.2f}")
        print(f"{'plain DuckDB SQL, one query':32} {plain_wall:>8.2f} {plain_mem:>8.2f}")
        print(f"{'the same, with the primary key':32} {pk_wall:>8.2f} {pk_mem:>8.2f}")
        print(f"{'dbt one-day refresh (incremental)':32} {refresh_wall:>8.2f} {refresh_mem:>8.2f}")
        print(f"ratio (dbt / plain): wall {dbt_wall / plain_wall:.2f}x, peak memory {dbt_mem / plain_mem:.2f}x")
        print(
            f"ratio (dbt / plain with the contract's primary key): wall {dbt_wall / pk_wall:.2f}x, "
            f"peak memory {dbt_mem / pk_mem:.2f}x"
        )
        in_models = sum(model_s.values())
        print(
            "dbt models' own execution time: "
            + ", ".join(f"{k} {v:.2f}s" for k, v in model_s.items())
            + f"; total {in_models:.2f}s, so dbt's start-up and bookkeeping took {dbt_wall - in_models:.2f}s"
        )
        print(
            f"refresh: {refresh_wall / dbt_wall:.0%} of the full build; models' own time "
            + ", ".join(f"{k} {v:.2f}s" for k, v in refresh_s.items())
        )
        print(f"rows {n:,} (plain {n_plain:,}, after {opts.repeat} refreshed days); rows that differ: {diff}")
        print(
            f"targets: ratio <= 1.5x {'met' if dbt_wall / plain_wall <= 1.5 else 'NOT met'}, "
            f"peak < 4 GB {'met' if max(dbt_mem, plain_mem) < 4 else 'NOT met'}, "
            f"refresh <= 10% {'met' if refresh_wall / dbt_wall <= 0.10 else 'NOT met'}"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
