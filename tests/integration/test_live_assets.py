"""The raw assets in live mode, through Dagster, against the services on 127.0.0.1.

A fault leaves every raw table exactly as it was and keeps the reason in ops.quarantine; a clean answer
loads that window's rows from the live source; CoinGlass without a key is skipped, not failed; the key
never reaches events, the warehouse or the landing zone; `liqmart backfill` reloads a week in one run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration import settings
from orchestration.definitions import defs
from orchestration.lib.raw_tables import RAW_TABLES
from orchestration.lib.resources import SourceModes
from tests.integration.materialize import materialize
from tests.live_services import API_KEY, Services

LIQMART = str(Path(sys.executable).parent / "liqmart")


def liqmart(env: dict, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([LIQMART, *args], capture_output=True, text=True, env=env, timeout=timeout)


# Every family with a live source (the registry's `live`), each served here in its service's real format.
FAMILIES = [t.name for t in RAW_TABLES.values() if t.live]
WINDOW = {"jgb_yields": ("2026-06-01", "2026-06-30"), "crypto_liquidations": ("2025-10-06", "2025-10-12")}
CRASH = ("2026-01-26", "2026-02-06")


def fingerprints(warehouse: Path) -> dict:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return {
            t: conn.execute(f"select count(*), sum(hash(columns(* exclude (_ingested_at)))) from raw.{t}").fetchall()[0]
            for t in FAMILIES
        }


def query(warehouse: Path, sql: str) -> list:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture(scope="module")
def services():
    with Services() as running:
        yield running


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    """The raw tables loaded from the bundled snapshot for 2025-10 .. 2026-06 (enough for every window)."""
    warehouse = tmp_path_factory.mktemp("live") / "liquidity.duckdb"
    # The tables only: their checks are the tests' business (test_checks.py), not this fixture's.
    selection = dg.AssetSelection.assets(*(dg.AssetKey(["raw", f]) for f in FAMILIES)).without_checks()
    assert materialize(warehouse, selection=selection, days=("2025-10-01", "2026-06-30")).success
    return warehouse


def live(services: Services, family: str, **overrides) -> dict:
    return {**services.resources(**overrides), "sources": SourceModes(**{family: "live"})}


@pytest.fixture(autouse=True)
def clean(services, monkeypatch):
    services.faults.clear()
    monkeypatch.setenv("COINGLASS_API_KEY", API_KEY)


@pytest.mark.parametrize("family", FAMILIES)
def test_fault_leaves_the_warehouse_unchanged(services, bundled, family):
    before = fingerprints(bundled)
    quarantined = query(bundled, "select count(*) from ops.quarantine")[0][0]
    services.faults.extend(["500"] * 3)
    result = materialize(
        bundled,
        selection=f'key:"raw/{family}"',
        days=WINDOW.get(family, CRASH),
        resources=live(services, family),
        raise_on_error=False,
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure).event_specific_data.error.message
    assert "must answer within 3 attempts" in failure and "HTTP 500" in failure
    assert fingerprints(bundled) == before
    rows = query(bundled, "select source, rule, detail from ops.quarantine order by rowid desc limit 1")
    assert query(bundled, "select count(*) from ops.quarantine")[0][0] == quarantined + 1
    assert rows[0][1] == "must answer within 3 attempts" and "HTTP 500" in rows[0][2]


@pytest.mark.parametrize(
    "fault, words",
    [
        ("slow", "no response within the 0.3 s timeout"),
        ("truncated", "truncated"),
        ("html200", "got an HTML page"),
        ("rename", "required column 'observation_date' missing"),
    ],
)
def test_every_fault_kind_leaves_the_warehouse_unchanged(services, bundled, fault, words):
    """FRED (UST yields) through Dagster: each way an answer goes wrong ends in its error and no change."""
    before = fingerprints(bundled)
    services.slow_s = 1.0
    services.faults.extend([fault] * 3)
    result = materialize(
        bundled,
        selection='key:"raw/ust_yields"',
        days=CRASH,
        raise_on_error=False,
        resources=live(services, "ust_yields", timeout_s=0.3),
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure).event_specific_data.error.message
    assert "Failure: [fred] " in failure and "DGS2" in failure and words in failure
    assert fingerprints(bundled) == before


@pytest.mark.parametrize("family", FAMILIES)
def test_live_window_loads_the_sources_rows(services, bundled, family, tmp_path):
    start, end = WINDOW.get(family, CRASH)
    result = materialize(bundled, selection=f'key:"raw/{family}"', days=(start, end), resources=live(services, family))
    meta = result.asset_materializations_for_node(f"raw__{family}")[0].metadata
    assert meta["batch_rows"].value > 0
    date_column = "bar_start::date" if family == "crypto_liquidations" else "date"
    sources = query(
        bundled,
        f"select distinct _source from raw.{family} where {date_column} between '{start}' "
        f"and '{end}' and _batch_id = '{meta['batch_id'].value}'",
    )
    assert sources and sources[0][0] == meta["source"].value != "bundled_snapshot"
    # Only the window's days came from the live batch.
    outside = query(
        bundled,
        f"select count(*) from raw.{family} where _batch_id = '{meta['batch_id'].value}' "
        f"and {date_column} not between '{start}' and '{end}'",
    )
    assert outside[0][0] == 0


def test_live_prices_equal_the_bundled_closes(services, bundled):
    """The fake serves the snapshot's numbers in each service's format, so the live batch must agree."""
    assert materialize(bundled, selection='key:"raw/prices"', days=CRASH, resources=live(services, "prices")).success
    rows = dict(
        query(
            bundled,
            "select asset_id, close from raw.prices where date = '2026-02-05' and asset_id in ('AMD', 'BTC', 'XAG')",
        )
    )
    assert rows["BTC"] == pytest.approx(64110.66, abs=0.01)  # PROVENANCE checkpoint, via Coinbase candles
    assert set(rows) == {"AMD", "BTC", "XAG"}


def test_coinglass_without_key_is_skipped_and_the_run_succeeds(services, bundled, monkeypatch, capfd):
    monkeypatch.delenv("COINGLASS_API_KEY")
    before = fingerprints(bundled)
    result = materialize(
        bundled,
        selection='key:"raw/crypto_liquidations"',
        days=WINDOW["crypto_liquidations"],
        resources=live(services, "crypto_liquidations"),
    )
    assert result.success and not result.asset_materializations_for_node("raw__crypto_liquidations")
    assert (
        "raw/crypto_liquidations skipped: live mode needs a CoinGlass API key in COINGLASS_API_KEY"
        in capfd.readouterr().err
    )
    assert fingerprints(bundled) == before


def test_crypto_schedule_leaves_liquidations_out_without_a_key(services, monkeypatch):
    monkeypatch.delenv("COINGLASS_API_KEY")
    schedule = defs.get_schedule_def("crypto_close_schedule")
    resources = {"sources": SourceModes(crypto_liquidations="live"), **services.resources()}
    with dg.build_schedule_context(
        scheduled_execution_time=__import__("datetime").datetime(2026, 2, 6, 0, 30),
        resources=resources,
        repository_def=defs.get_repository_def(),
    ) as context:
        request = schedule.evaluate_tick(context).run_requests[0]
    assert request.partition_key == "2026" and request.tags["liquidity/window_start"] == "2026-02-05"
    assert dg.AssetKey(["raw", "crypto_liquidations"]) not in request.asset_selection
    assert dg.AssetKey(["raw", "prices"]) in request.asset_selection


@pytest.mark.slow
def test_cli_leaves_liquidations_out_without_a_key_and_still_builds_downstream(built, tmp_path, monkeypatch):
    # Left inside the run, the skipped asset would make Dagster skip every step downstream of it (the marts).
    monkeypatch.delenv("COINGLASS_API_KEY")
    warehouse = tmp_path / "wh" / "liquidity.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(built[0], warehouse)  # a built warehouse, as a backfill finds it
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("delete from marts.fct_asset_daily")  # so the test sees the run rebuild it
        liquidations = conn.execute("select count(*) from raw.crypto_liquidations").fetchall()[0][0]
    env = {
        **os.environ,
        settings.WAREHOUSE_ENV: str(warehouse),
        "DAGSTER_HOME": str(tmp_path / "home"),
        "LIQMART_SOURCE_CRYPTO_LIQUIDATIONS": "live",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    out = liqmart(
        env,
        "backfill",
        "--start",
        "2026-01-26",
        "--end",
        "2026-02-06",
        "--family",
        "prices",
        "--family",
        "crypto_liquidations",
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert (
        "raw/crypto_liquidations left out of this run: live mode needs a CoinGlass API key in "
        "COINGLASS_API_KEY" in out.stderr
    )
    assert "raw.prices: 2026-01-26..2026-02-06 loaded" in out.stdout
    assert query(warehouse, "select count(*) from raw.crypto_liquidations")[0][0] == liquidations > 0
    assert (
        query(warehouse, "select count(*) from marts.fct_asset_daily where date = '2026-02-05' and asset_id = 'BTC'")[
            0
        ][0]
        == 1
    )
    only = liqmart(env, "backfill", "--start", "2026-01-26", "--family", "crypto_liquidations")
    assert only.returncode == 0 and "nothing left to load" in only.stderr


def test_the_key_never_reaches_events_warehouse_or_landing(services, bundled):
    result = materialize(
        bundled,
        selection='key:"raw/crypto_liquidations"',
        days=WINDOW["crypto_liquidations"],
        resources=live(services, "crypto_liquidations"),
    )
    assert result.success
    assert API_KEY not in "\n".join(repr(e) for e in result.all_events)
    assert not any(API_KEY.encode() in p.read_bytes() for p in bundled.parent.rglob("*") if p.is_file())


@pytest.mark.slow
def test_backfill_a_week_from_the_cli(tmp_path):
    warehouse = tmp_path / "wh" / "liquidity.duckdb"
    env = {**os.environ, settings.WAREHOUSE_ENV: str(warehouse), "DAGSTER_HOME": str(tmp_path / "home")}
    out = liqmart(
        env,
        "backfill",
        "--start",
        "2026-01-26",
        "--end",
        "2026-02-01",
        "--family",
        "prices",
        "--family",
        "btc_etf_flows",
        "--raw-only",
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "raw.prices: 2026-01-26..2026-02-01 loaded" in out.stdout
    days = query(warehouse, "select min(date), max(date), count(distinct date) from raw.prices")[0]
    assert (str(days[0]), str(days[1]), days[2]) == ("2026-01-26", "2026-02-01", 7)  # BTC trades at weekends
    with dg.DagsterInstance.from_config(str(tmp_path / "home")) as instance:
        done = instance.get_materialized_partitions(dg.AssetKey(["raw", "prices"]))
    assert sorted(done) == ["2026"]  # the year touched; the days are in the metadata
    with dg.DagsterInstance.from_config(str(tmp_path / "home")) as instance:
        event = instance.get_latest_materialization_event(dg.AssetKey(["raw", "prices"]))
    meta = event.asset_materialization.metadata
    assert (meta["window_start"].value, meta["window_end"].value) == ("2026-01-26", "2026-02-01")
    bad = liqmart(env, "backfill", "--start", "1999-12-01")
    assert bad.returncode == 2 and "outside the partitioned history 2000-01-01" in bad.stderr
