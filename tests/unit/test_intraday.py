"""Hourly bars: both source formats parsed, bad rows refused, and the day each bar belongs to."""

from datetime import date, datetime, timezone

import polars as pl
import pytest

from orchestration.defs.raw.reconciliation import PAIRS
from tests.conftest import TODAY
from transforms.errors import SourceError
from transforms.parsers.intraday import parse_hourly_bars
from transforms.reconciliation import intraday_gaps

REFERENCES = {r["asset"]: (r["reference"], r["clock"]) for r in PAIRS["hourly_bars_reconcile_with_daily_bars"]}

BINANCE = (
    "open_time_utc,open_time_us,open,high,low,close,volume,close_time_us,quote_volume,count,"
    "taker_buy_volume,taker_buy_quote_volume,ignore\n"
    "2026-02-06T00:00:00Z,1770336000000000,62909.87,63500.00,60000.00,63000.01,5000.5,1770339599999999,1,2,3,4,0\n"
    "2026-02-06T01:00:00Z,1770339600000000,63000.01,64000.00,62800.00,63900.00,3000.0,1770343199999999,1,2,3,4,0\n"
)
MT5 = (
    "open_time_utc,server_time,server_utc_offset,open,high,low,close,tick_volume\n"
    "2026-01-30T18:00:00Z,2026-01-30 20:00:00,UTC+2,80.1,81.0,72.68,75.0,9000\n"
)


def test_binance_klines_are_typed_with_their_utc_hour_and_volume():
    bars = parse_hourly_bars(BINANCE, "BTC", "binance_spot", "spot_usdt", "b.csv", TODAY, "volume")
    assert bars["bar_start"].to_list() == [
        datetime(2026, 2, 6, 0, tzinfo=timezone.utc),
        datetime(2026, 2, 6, 1, tzinfo=timezone.utc),
    ]
    assert bars["low"][0] == 60000.0 and bars["volume"].to_list() == [5000.5, 3000.0]


def test_broker_tick_counts_are_not_loaded_as_volume():
    bars = parse_hourly_bars(MT5, "XAG", "mt5_broker", "spot_cfd", "m.csv", TODAY, None)
    assert bars["volume"].to_list() == [None] and bars["low"][0] == 72.68


@pytest.mark.parametrize(
    "bad, rule",
    [
        (BINANCE.replace("2026-02-06T01:00:00Z", "2026-02-06 01:00"), "open_time_utc must parse"),
        (BINANCE.replace("63900.00,3000.0", "abc,3000.0"), "close must parse"),
        (
            BINANCE.replace("2026-02-06T01:00:00Z", "2026-02-06T00:00:00Z"),
            "key (asset_id, source, bar_start) must be unique",
        ),
    ],
)
def test_bad_bars_are_refused_with_row_and_rule(bad, rule):
    with pytest.raises(SourceError) as info:
        parse_hourly_bars(bad, "BTC", "binance_spot", "spot_usdt", "b.csv", TODAY, "volume")
    assert info.value.rule == rule and info.value.file == "b.csv"


def _bars(asset: str, hours: list[tuple[datetime, float]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "bar_start": [h for h, _ in hours],
            "asset_id": asset,
            "source": "s",
            "high": [c + 1 for _, c in hours],
            "low": [c - 1 for _, c in hours],
            "close": [c for _, c in hours],
        },
        schema_overrides={"bar_start": pl.Datetime("us", "UTC")},
    )


def test_crypto_bars_make_utc_days_and_metals_bars_new_york_days():
    utc = timezone.utc
    bars = pl.concat(
        [
            _bars("BTC", [(datetime(2026, 2, 5, 23, tzinfo=utc), 100.0), (datetime(2026, 2, 6, 0, tzinfo=utc), 90.0)]),
            # 21:00 UTC is 16:00 in New York, in Jan 30's trading day; 22:00 UTC is 17:00, the first bar of the next
            # day (dated Jan 31 by the clock).
            _bars(
                "XAG", [(datetime(2026, 1, 30, 21, tzinfo=utc), 80.0), (datetime(2026, 1, 30, 22, tzinfo=utc), 81.0)]
            ),
        ]
    )
    daily = pl.DataFrame(
        {
            "date": [date(2026, 2, 5), date(2026, 2, 6), date(2026, 1, 30), date(2026, 1, 31)],
            "asset_id": ["BTC_FULLDAY", "BTC_FULLDAY", "XAG", "XAG"],
            "close": [100.0, 99.0, 80.0, 81.0],
            "high": [None, None, 81.0, 82.0],
            "low": [None, None, 79.0, 80.0],
        }
    )
    gaps = intraday_gaps(bars, daily, REFERENCES)
    got = {(r["asset_id"], r["date"]): r["gap_pct"] for r in gaps.iter_rows(named=True)}
    assert got[("BTC", date(2026, 2, 5))] == 0.0
    assert got[("BTC", date(2026, 2, 6))] == pytest.approx((90 / 99 - 1) * 100)
    assert got[("XAG", date(2026, 1, 30))] == 0.0 and got[("XAG", date(2026, 1, 31))] == 0.0
