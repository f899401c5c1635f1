"""The history before 2024 (data/snapshot/build_snapshot.py): each quirk PROVENANCE names is handled, and the
bundled files keep only what the handling allows."""

from datetime import date

import polars as pl
import pytest

from data.snapshot.build_snapshot import (
    JPY_X_CLOCK_FROM,
    XAG_SPOT_CLOCK_FROM,
    coinmarketcap_as_yahoo,
    mt5_daily_as_ny_close,
    with_history,
)
from orchestration import settings
from orchestration.defs.raw.reconciliation import PAIRS
from orchestration.lib.raw_tables import CALENDAR_MAX_GAP_DAYS
from transforms.parsers.yahoo import drop_contradicted_ranges, parse_ny_close_csv, parse_yahoo_csv
from transforms.reconciliation import quarterly_gaps, source_gaps

TODAY = date(2026, 12, 6)
USDJPY_MEDIAN_GAP_PCT = PAIRS["usdjpy_sources_reconcile"][0]["limit_pct"]
SILVER_MEDIAN_BASIS_PCT = PAIRS["silver_spot_against_futures_basis"][0]["limit_pct"]
PRICES = settings.PROJECT_ROOT / "data" / "snapshot" / "prices"


def _bundled(name: str, asset_id: str) -> pl.DataFrame:
    text = (PRICES / name).read_bytes()
    if name.endswith(".mt5.csv"):
        return parse_ny_close_csv(text, asset_id, name, TODAY)
    return parse_yahoo_csv(text, asset_id, name, TODAY)


def _quarters(gaps: pl.DataFrame) -> pl.DataFrame:
    return gaps.group_by(pl.col("date").dt.truncate("1q").alias("quarter")).agg(
        pl.col("gap_pct").abs().median().alias("median")
    )


def test_yahoos_jpy_x_changes_clock_in_2010_and_only_its_later_clock_is_bundled(real_data):
    # The reconciliation rule (JPY=X's next stamp against the New York close, per quarter) holds from 2010Q4 and
    # breaks in the quarters before the change: so the history is kept from JPY_X_CLOCK_FROM, and the check on
    # the warehouse would catch the earlier rows if they were loaded.
    yahoo = parse_yahoo_csv(
        (real_data / "history/fx/usdjpy_JPY_X_daily_yahoo.csv").read_bytes(), "USDJPY", "JPY=X", TODAY
    )
    ny = parse_ny_close_csv(
        mt5_daily_as_ny_close(pl.read_csv(real_data / "history/fx/usdjpy_mt5_nyclose_daily.csv", infer_schema=False))
        .write_csv()
        .encode(),
        "USDJPY_NY",
        "mt5",
        TODAY,
    )
    prices = pl.concat([yahoo, ny]).filter(pl.col("date") >= date(2004, 1, 1))
    quarters = _quarters(source_gaps(prices, "USDJPY", "USDJPY_NY", next_stamp=True))
    before = quarters.filter(pl.col("quarter") < date(2010, 4, 1))
    after = quarters.filter(pl.col("quarter") >= date.fromisoformat(JPY_X_CLOCK_FROM))
    assert before.height >= 20 and after.height >= 50
    assert (before["median"] > USDJPY_MEDIAN_GAP_PCT).mean() > 0.9
    assert (after["median"] <= USDJPY_MEDIAN_GAP_PCT).all()
    early = prices.filter(pl.col("date") < date(2010, 4, 1))
    assert not quarterly_gaps(source_gaps(early, "USDJPY", "USDJPY_NY", next_stamp=True), 0.25, [])[1].is_empty()
    bundled = _bundled("USDJPY.yahoo.csv", "USDJPY")
    assert bundled["date"].min() == date.fromisoformat(JPY_X_CLOCK_FROM)


def test_settlement_only_futures_rows_keep_their_close_and_lose_their_range():
    for name, asset_id in (("XAG.yahoo.csv", "XAG"), ("XAU_FUT.yahoo.csv", "XAU_FUT")):
        raw = pl.read_csv(PRICES / name, infer_schema_length=0).with_columns(
            pl.col("Date").str.to_date(), *[pl.col(c).cast(pl.Float64) for c in ("Open", "High", "Low", "Close")]
        )
        flat = raw.filter(
            (pl.col("Open") == pl.col("High")) & (pl.col("High") == pl.col("Low")) & (pl.col("Low") == pl.col("Close"))
        )
        assert flat.height > 700, name  # PROVENANCE: 791 GC=F and 1,604 SI=F flat rows before 2024
        parsed = drop_contradicted_ranges(_bundled(name, asset_id))
        rows = parsed.join(flat.select(pl.col("Date").alias("date"), "Close"), on="date")
        assert rows.height == flat.height
        assert rows["high"].is_null().all() and rows["low"].is_null().all() and rows["open"].is_null().all()
        assert (rows["close"] == rows["Close"]).all()
        # No bar the loader keeps contradicts its close.
        ranged = parsed.drop_nulls(["high", "low"])
        assert ((ranged["low"] <= ranged["close"]) & (ranged["close"] <= ranged["high"])).all()


def test_a_flat_bar_in_any_yahoo_file_is_a_close_without_a_range():
    text = b"Date,Open,High,Low,Close\n2001-01-02,4.5,4.5,4.5,4.5\n2001-01-03,4.5,4.7,4.4,4.6\n"
    got = parse_yahoo_csv(text, "XAG", "x.csv", TODAY).sort("date")
    assert got["close"].to_list() == [4.5, 4.6]
    assert got["high"].to_list() == [None, 4.7] and got["low"].to_list() == [None, 4.4]


def test_the_spot_silver_hole_of_march_2018_is_reported_and_not_compared():
    spot = _bundled("XAG_SPOT.mt5.csv", "XAG_SPOT")
    assert spot["date"].min() >= date.fromisoformat(XAG_SPOT_CLOCK_FROM)
    assert spot.filter(pl.col("date").is_between(date(2018, 3, 1), date(2018, 3, 16))).height == 0
    # No weekend bar: New York days, the clock the file has from 2013.
    assert spot.filter(pl.col("date").dt.weekday() > 5).height == 0
    gaps = spot.sort("date").with_columns((pl.col("date") - pl.col("date").shift()).dt.total_days().alias("gap"))
    holes = gaps.filter(pl.col("gap") > CALENDAR_MAX_GAP_DAYS["us_business"])
    assert holes["date"].to_list() == [date(2018, 3, 19)]  # the calendar_gaps check names exactly this hole
    futures = _bundled("XAG.yahoo.csv", "XAG")
    compared = source_gaps(pl.concat([spot, futures]), "XAG_SPOT", "XAG")
    assert compared.filter(pl.col("date").is_between(date(2018, 3, 1), date(2018, 3, 16))).height == 0
    assert quarterly_gaps(compared, SILVER_MEDIAN_BASIS_PCT, [])[1].is_empty()


def test_mt5_flat_one_tick_bars_are_no_new_york_close(real_data):
    bars = pl.read_csv(real_data / "history/fx/usdjpy_mt5_nyclose_daily.csv", infer_schema=False)
    converted = mt5_daily_as_ny_close(
        bars.filter(pl.col("time").is_between(pl.lit("1985-12-20"), pl.lit("1988-01-10")))
    )
    parsed = parse_ny_close_csv(converted.write_csv().encode(), "USDJPY_NY", "mt5", TODAY)
    flagged = converted.filter(pl.col("close_is_ny_close") == "0")
    assert flagged.height > 200  # 1986 is imported noon rates
    assert parsed.filter(pl.col("date").is_in(flagged["trading_day"].str.to_date().implode())).height == 0
    assert parsed.height == converted.height - flagged.height


def test_eth_before_yahoo_is_coinmarketcaps_and_the_two_agree_where_both_exist():
    eth, cmc = _bundled("ETH.yahoo.csv", "ETH"), _bundled("ETH_CMC.yahoo.csv", "ETH_CMC")
    assert cmc["date"].min() == date(2015, 8, 7) and eth["date"].min() == date(2017, 11, 9)
    gaps = source_gaps(pl.concat([eth, cmc]), "ETH_CMC", "ETH")
    assert gaps.height >= 90 and gaps["gap_pct"].abs().max() < 0.01


def test_a_history_that_disagrees_with_the_current_file_on_the_overlap_is_refused():
    current = pl.DataFrame({"date": ["2024-01-02", "2024-01-03"], "value": ["1.0", "2.0"]})
    history = pl.DataFrame({"date": ["2023-12-29", "2024-01-02"], "value": ["0.5", "1.0"]})
    joined = with_history(history, current, "date", ["value"])
    assert joined["date"].to_list() == ["2023-12-29", "2024-01-02", "2024-01-03"]
    with pytest.raises(ValueError, match="disagree on value"):
        with_history(history.with_columns(pl.lit("1.1").alias("value")), current, "date", ["value"])


def test_coinmarketcaps_missing_values_are_missing():
    cmc = pl.DataFrame(
        {
            "date": ["2015-08-07"],
            "open": ["2.83"],
            "high": ["3.54"],
            "low": ["2.52"],
            "close": ["2.77"],
            "volume": ["-"],
            "market cap": ["-"],
            "average": ["3.03"],
        }
    )
    got = coinmarketcap_as_yahoo(cmc)
    assert got.columns == ["Date", "Open", "High", "Low", "Close", "Volume"] and got["Volume"][0] is None
