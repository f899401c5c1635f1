"""The Great Expectations checks fail on bad data and never pass when they cannot run."""

from datetime import date

import dagster as dg
import duckdb
import pandas as pd

from orchestration.defs.raw.expectations import build_raw_check, check_names
from orchestration.lib.gx_runner import Expectation, GreatExpectations, run_expectations
from orchestration.lib.raw_tables import RAW_TABLES
from orchestration.lib.resources import SourceModes
from orchestration.lib.warehouse import Warehouse
from tests.integration.materialize import materialize


def run_check(table, warehouse):
    check = build_raw_check(RAW_TABLES[table])
    resources = {"warehouse": Warehouse(database=str(warehouse)), "sources": SourceModes(), "gx": GreatExpectations()}
    context = dg.build_asset_check_context(resources=resources)
    return {r.check_name: r for r in check(context)}


def test_checks_catch_duplicates_ranges_future_dates_and_types(tmp_path):
    warehouse = tmp_path / "wh" / "liquidity.duckdb"
    assert materialize(warehouse, selection='key:"raw/ust_yields"', days=("2025-06-01", "2026-03-31")).success
    assert all(r.passed for r in run_check("ust_yields", warehouse).values())
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(
            "insert into raw.ust_yields select * from raw.ust_yields where date = '2026-01-20' and series_id = 'DGS10'"
        )
        conn.execute(
            "insert into raw.ust_yields select date '2099-01-01', series_id, tenor_years, 25.0, _source, "
            "_batch_id, _ingested_at from raw.ust_yields limit 1"
        )
    results = run_check("ust_yields", warehouse)
    assert not results["unique_keys"].passed and not results["value_ranges"].passed
    assert not results["no_future_dates"].passed and results["schema_and_types"].passed
    failing = results["value_ranges"].metadata["failures"].value
    assert 25.0 in failing[0]["partial_unexpected_list"]

    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("alter table raw.ust_yields alter yield_pct type varchar")
    assert not run_check("ust_yields", warehouse)["schema_and_types"].passed


def test_check_on_a_missing_table_fails_instead_of_passing(tmp_path):
    warehouse = tmp_path / "empty.duckdb"
    duckdb.connect(str(warehouse)).close()
    results = run_check("prices", warehouse)
    # Every check of the table is reported, and none passes on a table that is not there.
    assert set(results) == set(check_names(RAW_TABLES["prices"]))
    assert not any(r.passed for r in results.values())


def test_an_expectation_that_cannot_run_is_a_failure():
    import great_expectations.expectations as gxe
    import pandas as pd

    frame = pd.DataFrame({"d": pd.to_datetime(["2026-01-01"])})
    outcome = run_expectations(
        "t",
        {"data": frame},
        [
            Expectation("no_future_dates", "data", gxe.ExpectColumnMaxToBeBetween(column="d", max_value="2026-11-24")),
            Expectation("missing_frame", "gaps", gxe.ExpectColumnValuesToNotBeNull(column="x")),
        ],
    )
    assert outcome["no_future_dates"]["passed"] is False
    assert "could not run" in outcome["no_future_dates"]["results"][0]["error"]
    assert outcome["missing_frame"]["passed"] is False


def test_calendar_gap_beyond_the_calendar_is_reported(tmp_path):
    warehouse = tmp_path / "wh" / "liquidity.duckdb"
    assert materialize(warehouse, selection='key:"raw/jgb_yields"', days=("2025-10-01", "2026-03-31")).success
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("delete from raw.jgb_yields where date between '2026-01-13' and '2026-01-23'")
    result = run_check("jgb_yields", warehouse)["calendar_gaps"]
    assert not result.passed and result.severity == dg.AssetCheckSeverity.WARN
    assert str(date(2026, 1, 26)) in result.metadata["gaps_beyond_calendar"].value


def test_a_run_narrowed_to_days_validates_those_rows_and_the_whole_tables_keys(tmp_path):
    """A close or a backfill validates the rows of its days; uniqueness and the row count still cover the whole
    table; a run over whole tables validates every row again."""
    warehouse = tmp_path / "wh" / "liquidity.duckdb"
    assert materialize(warehouse, selection='key:"raw/ust_yields"', days=("2025-06-01", "2026-03-31")).success
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("update raw.ust_yields set yield_pct = 25.0 where date = '2025-07-01' and series_id = 'DGS10'")
        conn.execute(
            "insert into raw.ust_yields select * from raw.ust_yields where date = '2025-07-02' and series_id = 'DGS2'"
        )
    day = materialize(
        warehouse, selection='key:"raw/ust_yields"', days=("2026-01-20", "2026-01-20"), raise_on_error=False
    )
    results = {e.check_name: e for e in day.get_asset_check_evaluations()}
    assert results["value_ranges"].passed  # the bad old value is outside the run's day
    assert results["value_ranges"].metadata["scope"].value == "2026-01-20..2026-01-20"
    assert results["value_ranges"].metadata["rows_validated"].value == 3  # DGS2, DGS10, DGS30 that day
    assert not results["unique_keys"].passed  # the duplicate is counted over the whole table
    assert "2025-07-02" in results["unique_keys"].metadata["keys_more_than_once"].value
    whole = run_check("ust_yields", warehouse)
    assert not whole["value_ranges"].passed and whole["value_ranges"].metadata["scope"].value == "whole table"
    assert whole["value_ranges"].metadata["rows_validated"].value > 600


def test_a_run_makes_one_great_expectations_context_for_all_its_checks(tmp_path, monkeypatch):
    """Issue 39: one GX context per run, not one per check. Three raw tables and their checks in one run; the
    same suites validated twice in one context replace their definitions instead of failing."""
    from orchestration.lib import gx_runner

    made = []
    real = gx_runner.ephemeral_context
    monkeypatch.setattr(gx_runner, "ephemeral_context", lambda: made.append(1) or real())
    warehouse = tmp_path / "wh" / "liquidity.duckdb"
    selection = 'key:"raw/ust_yields" or key:"raw/jgb_yields" or key:"raw/btc_etf_flows"'
    result = materialize(warehouse, selection=selection, days=("2026-01-01", "2026-02-28"))
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    assert len({e.asset_key for e in evaluations}) == 3 and len(evaluations) > 3
    assert len(made) == 1
    context = real()
    first = run_expectations("again", {"data": pd.DataFrame({"x": [1]})}, [notnull("x")], context)
    second = run_expectations("again", {"data": pd.DataFrame({"x": [None]})}, [notnull("x")], context)
    assert first["x_present"]["passed"] and not second["x_present"]["passed"]


def notnull(column: str) -> Expectation:
    import great_expectations.expectations as gxe

    return Expectation(f"{column}_present", "data", gxe.ExpectColumnValuesToNotBeNull(column=column))
