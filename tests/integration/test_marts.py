"""Mart figures against values computed independently, in the test, from the collected raw files."""

from datetime import date, timedelta

import duckdb
import numpy as np
import polars as pl
import pytest

from orchestration import settings


@pytest.fixture
def warehouse(built):
    path, result = built
    assert result.success
    return path


def one(warehouse, sql, params=None):
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchone()


def frame(warehouse, sql) -> pl.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.sql(sql).pl()


def test_btc_drawdown_on_2026_02_05(warehouse, real_data):
    btc = pl.read_csv(real_data / "crypto/btc_usd_daily_yahoo.csv", try_parse_dates=True)
    upto = btc.filter(pl.col("Date") <= date(2026, 2, 5))
    expected = upto["Close"][-1] / upto["Close"].max() - 1
    got = one(warehouse, "select drawdown_from_peak, running_peak from marts.fct_asset_daily "
                         "where asset_id = 'BTC' and date = '2026-02-05'")
    assert got[0] == pytest.approx(expected, abs=1e-12) and got[1] == pytest.approx(upto["Close"].max())
    assert -0.6 < got[0] < -0.4  # the article's "fallen 50% from its high" is in this neighbourhood


def test_amd_return_on_2026_02_04(warehouse, real_data):
    stocks = pl.read_csv(real_data / "equities/nasdaq100_selected_stocks_daily_yahoo.csv", try_parse_dates=True)
    amd = stocks.filter(pl.col("Symbol") == "AMD").sort("Date")
    i = amd["Date"].to_list().index(date(2026, 2, 4))
    expected = amd["Close"][i] / amd["Close"][i - 1] - 1
    got = one(warehouse, "select return_1d, log_return_1d from marts.fct_asset_daily "
                         "where asset_id = 'AMD' and date = '2026-02-04'")
    assert got[0] == pytest.approx(expected, abs=1e-12)
    assert got[1] == pytest.approx(np.log(1 + expected), abs=1e-12)


def test_realized_vol_and_zscore_for_silver_on_2026_01_30(warehouse, real_data):
    xag = pl.read_csv(real_data / "metals/silver_futures_SI_F_daily_yahoo.csv", try_parse_dates=True).sort("Date")
    closes = xag["Close"].to_numpy()
    i = xag["Date"].to_list().index(date(2026, 1, 30))
    logs = np.log(closes[1:] / closes[:-1])
    simple = closes[1:] / closes[:-1] - 1
    expected_vol = logs[i - 20:i].std(ddof=1) * np.sqrt(252)
    prior = simple[i - 1 - 250:i - 1]
    expected_z = (simple[i - 1] - prior.mean()) / prior.std(ddof=1)
    vol, z = one(warehouse, "select realized_vol_20d, zscore_return_1d from marts.fct_asset_daily "
                            "where asset_id = 'XAG' and date = '2026-01-30'")
    assert vol == pytest.approx(expected_vol, rel=1e-9) and z == pytest.approx(expected_z, rel=1e-9)


def test_jgb_40y_change_and_spread_on_2026_01_20(warehouse, real_data):
    jgb = pl.read_csv(real_data / "rates/jgb_yields_mof_jgbcm.csv", infer_schema_length=0).with_columns(
        pl.col("40年").cast(pl.Float64), pl.col("10年").cast(pl.Float64))
    i = jgb["date"].to_list().index("2026-01-20")
    change, = one(warehouse, "select change_bp_1d from marts.fct_rates_daily where curve = 'JGB' "
                             "and tenor_years = 40 and date = '2026-01-20'")
    assert change == pytest.approx((jgb["40年"][i] - jgb["40年"][i - 1]) * 100, abs=1e-9)
    spread, = one(warehouse, "select yield_pct from marts.fct_rates_daily where curve = 'JGB40_JGB10' "
                             "and date = '2026-01-20'")
    assert spread == pytest.approx(jgb["40年"][i] - jgb["10年"][i], abs=1e-12)


def test_2025_absorption_parts(warehouse, real_data):
    flows = pl.read_csv(real_data / "etf_flows/btc_spot_etf_flows_farside_daily.csv", try_parse_dates=True)
    btc = pl.read_csv(real_data / "crypto/btc_usd_daily_yahoo.csv", try_parse_dates=True).select(
        pl.col("Date").alias("date"), "Close").sort("date")
    f25 = flows.filter(pl.col("date").dt.year() == 2025).sort("date").join_asof(btc, on="date")
    etf_btc = (f25["total_musd"] * 1e6 / f25["Close"]).sum()
    mstr = pl.read_csv(real_data / "treasuries/mstr_btc_holdings_sec_filings.csv", try_parse_dates=True).sort("date")
    end_2024 = mstr.filter(pl.col("date") < date(2025, 1, 1))["holdings"][-1]
    end_2025 = mstr.filter(pl.col("date") < date(2026, 1, 1))["holdings"][-1]
    got = one(warehouse, "select etf_net_flow_btc_ytd, treasury_purchases_btc_ytd, issuance_btc_ytd, "
                         "absorption_multiple from marts.fct_btc_flows_daily where date = '2025-12-31'")
    assert got[0] == pytest.approx(etf_btc, rel=1e-3)  # Farside rounds each issuer to 0.1 US$m
    assert got[1] == end_2025 - end_2024
    assert got[3] == pytest.approx((got[0] + got[1]) / got[2], rel=1e-12)


def test_stress_comparison_shows_both_sides_over_the_crash_window(warehouse, real_data):
    ofr = pl.read_csv(real_data / "stress_indices/ofr_fsi_daily.csv", try_parse_dates=True)
    window = frame(warehouse, "select * from marts.mart_stress_comparison where date between '2026-01-29' "
                              "and '2026-02-06' order by date")
    assert window.height == 7
    # OFR's point-in-time percentile recomputed from the raw file: each day's reading ranked against the
    # readings up to it, over the common window (from a week before our index's first full day).
    first_day, = one(warehouse, "select min(date) from marts.mart_stress_comparison")
    start = first_day - timedelta(days=7)
    for row in window.iter_rows(named=True):
        held = ofr.filter(pl.col("date").is_between(start, row["date"]))["ofr_fsi"]
        value = ofr.filter(pl.col("date") == row["date"])["ofr_fsi"].item()
        assert row["ofr_fsi"] == value
        assert row["ofr_fsi_pct"] == pytest.approx((held < value).sum() / (held.len() - 1), abs=1e-12)
    assert window["ofr_fsi"].max() < 0  # published stress stayed below its average
    assert window["stress_index_pct"].is_not_null().all()


def test_stress_mart_is_one_row_per_us_business_day_with_documented_regimes(warehouse):
    rows, days, regimes = one(warehouse, """
        select count(*), count(distinct date), list(distinct regime order by regime)
        from marts.mart_liquidity_stress_daily""")
    assert rows == days and set(regimes) <= {"calm", "stressed", "liquidity_black_hole"}
    ixic_days, = one(warehouse, "select count(*) - 1 from raw.prices where asset_id = 'IXIC'")
    assert rows == ixic_days  # the first panel day has no return


def test_the_stress_marts_know_nothing_of_the_future(warehouse, tmp_path):
    # The whole pipeline on the raw data cut at a date must give, up to that date, the rows of the full run.
    from tests.integration.materialize import materialize

    cut = "2026-02-06"
    truncated = tmp_path / "cut" / "liquidity.duckdb"
    assert materialize(truncated, days=("2024-01-01", cut)).success
    for mart in ("mart_liquidity_stress_daily", "mart_stress_comparison"):
        full = frame(warehouse, f"select * from marts.{mart} where date <= '{cut}' order by date")
        cut_run = frame(truncated, f"select * from marts.{mart} order by date")
        assert cut_run.height == full.height > 200, mart
        assert cut_run.equals(full), mart


def test_the_readme_states_the_crash_windows_rank_as_the_warehouse_computes_it(warehouse):
    readme = (settings.PROJECT_ROOT / "README.md").read_text()
    text = " ".join(readme.split())  # the README wraps its lines
    ours, ours_day, ofr = one(warehouse, """
        select max(stress_index_pct), arg_max(date, stress_index_pct), max(ofr_fsi_pct)
        from marts.mart_stress_comparison where date between '2026-01-29' and '2026-02-06'""")
    rank, days, first = one(warehouse, """
        with d as (select date, stress_index from marts.mart_liquidity_stress_daily where stress_index is not null)
        select (select count(*) from d where stress_index > (select max(stress_index) from d
                where date between '2026-01-29' and '2026-02-06')) + 1, count(*), min(date) from d""")
    carry, = one(warehouse, "select carry_unwind_score from marts.mart_liquidity_stress_daily "
                            "where date = '2024-08-05'")
    assert f"percentile in Jan 29 – Feb 6 2026 is {ours:.0%} ({ours_day})" in text
    assert f"the window's peak ranks {rank}th of the {days} days with the full index" in text
    assert f"(from {first} on the bundled data" in text
    assert f"The OFR FSI's highest point-in-time percentile in the window is {ofr:.0%}" in text
    assert f"its carry score is now {carry:+.2f}" in text
