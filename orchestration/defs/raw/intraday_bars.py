"""raw/intraday_bars: hourly bars for the crash window (bundled only; no live connector)."""

import polars as pl

from orchestration.lib.batch import Input
from orchestration.lib.raw_asset import Family, Inputs, Load, raw_asset
from orchestration.settings import today_utc
from transforms.parsers.intraday import parse_hourly_bars

# file -> (asset_id, source, basis, volume column): PROVENANCE, intraday/.
FILES = {
    "intraday/btcusdt_binance_spot_1h_2026-01_2026-02.csv": ("BTC", "binance_spot", "spot_usdt", "volume"),
    "intraday/btcusdt_binance_usdm_perp_1h_2026-01_2026-03.csv": ("BTC", "binance_usdm", "perpetual_usdt", "volume"),
    "intraday/xagusd_mt5_h1_2026-01-02_2026-02-27.csv": ("XAG", "mt5_broker", "spot_cfd", None),
    "intraday/xauusd_mt5_h1_2026-01-02_2026-02-27.csv": ("XAU", "mt5_broker", "spot_cfd", None),
}


def parse_intraday(payloads: dict[str, bytes]) -> pl.DataFrame:
    return pl.concat(
        [
            parse_hourly_bars(payloads[name], asset, source, basis, name, today_utc(), volume)
            for name, (asset, source, basis, volume) in FILES.items()
        ]
    )


def inputs(load: Load) -> Inputs:
    return Inputs(Input("bundled_snapshot", lambda: {n: load.snapshot.read_bytes(n) for n in FILES}, parse_intraday))


raw_intraday_bars = raw_asset(
    Family(
        "intraday_bars",
        inputs,
        about=" Bundled snapshot only: Binance BTCUSDT 1h (Jan-Feb 2026 spot, Jan-Mar 2026 perpetual), XAG/XAU 1h "
        "spot CFD (Jan-Feb 2026).",
    )
)
