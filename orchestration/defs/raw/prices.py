"""raw/prices: daily prices for the asset panel, one file per asset in its source's own format."""

import io

import polars as pl

from orchestration.lib.batch import Input
from orchestration.lib.raw_asset import LOOKBACK, Family, Inputs, Load, raw_asset
from orchestration.lib.sources.coinbase import CoinbaseSource
from orchestration.lib.sources.fred import FredSource
from orchestration.lib.sources.yahoo import YahooSource
from orchestration.settings import today_utc
from transforms.errors import SourceError
from transforms.parsers.coinbase import parse_coinbase_candles
from transforms.parsers.yahoo import (
    drop_contradicted_ranges,
    parse_close_csv,
    parse_ny_close_csv,
    parse_yahoo_chart_json,
    parse_yahoo_csv,
)

MANIFEST = "prices/manifest.csv"
# Live source per asset. Crypto comes from Coinbase's own candles (Yahoo's crypto bars are a resale);
# gold's LBMA PM fix has no free live feed, so XAU stays on the bundled file rather than switch basis.
LIVE = {
    "AMD": ("yahoo", "AMD"),
    "BTC": ("coinbase", "BTC-USD"),
    "DXY": ("yahoo", "DX-Y.NYB"),
    "ETH": ("coinbase", "ETH-USD"),
    "GOOGL": ("yahoo", "GOOGL"),
    "IXIC": ("fred", "NASDAQCOM"),
    "MSTR": ("yahoo", "MSTR"),
    "MU": ("yahoo", "MU"),
    "NDX": ("yahoo", "^NDX"),
    "SNDK": ("yahoo", "SNDK"),
    "SOX": ("yahoo", "^SOX"),
    "USDJPY": ("yahoo", "JPY=X"),
    "WDC": ("yahoo", "WDC"),
    "XAG": ("yahoo", "SI=F"),
}
# Sources whose close is a snapshot outside its bar's window (PROVENANCE): where the bar contradicts the close,
# the range is dropped and the close kept (transforms.parsers.yahoo.drop_contradicted_ranges). Yahoo's COMEX
# futures (SI=F, GC=F) stamp the settlement as the close with, in 2001-2011, a range from another window on 243
# and 441 days (measured on the bundled history): their ranges are dropped on those days the same way.
SNAPSHOT_CLOSES = {"USDJPY", "BTC", "ETH", "ETH_CMC", "XAG", "XAU_FUT"}


def parse_prices(payloads: dict[str, bytes], manifest: pl.DataFrame) -> pl.DataFrame:
    """Each manifest row names an asset, its file and the file's format."""
    today = today_utc()
    frames = []
    for entry in manifest.iter_rows(named=True):
        name = f"prices/{entry['file']}"
        text = payloads[name]  # bytes: the parser decodes and refuses what is not UTF-8
        if entry["format"] == "yahoo_csv":
            frame = parse_yahoo_csv(text, entry["asset_id"], name, today, entry["source"])
            frames.append(drop_contradicted_ranges(frame) if entry["asset_id"] in SNAPSHOT_CLOSES else frame)
        elif entry["format"] == "fred_csv":
            frames.append(
                parse_close_csv(
                    text, entry["asset_id"], name, today, "fred", "observation_date", entry["source_symbol"]
                )
            )
        elif entry["format"] == "lbma_csv":
            frames.append(parse_close_csv(text, entry["asset_id"], name, today, "lbma"))
        elif entry["format"] == "close_csv":
            frames.append(parse_close_csv(text, entry["asset_id"], name, today, entry["source"]))
        elif entry["format"] == "ny_close_csv":
            frames.append(parse_ny_close_csv(text, entry["asset_id"], name, today, entry["source"]))
        else:
            raise SourceError(
                "snapshot",
                MANIFEST,
                "format must be one of yahoo_csv, fred_csv, lbma_csv, close_csv, ny_close_csv",
                detail=f"{entry['asset_id']}: {entry['format']!r}",
            )
    return pl.concat(frames)


def live_payload_asset(name: str) -> tuple[str, str] | None:
    """(source, asset_id) of a live payload name `prices/<source>/<asset_id>...`, else None."""
    parts = name.split("/")
    return (parts[1], parts[2].split(".")[0]) if len(parts) == 3 and parts[1] in ("yahoo", "coinbase", "fred") else None


def parse_live_prices(payloads: dict[str, bytes], bundled: pl.DataFrame | None) -> pl.DataFrame:
    today = today_utc()
    frames = [] if bundled is None else [bundled]
    for name, body in sorted(payloads.items()):
        which = live_payload_asset(name)
        if which is None:
            continue
        source, asset_id = which
        text = body
        if source == "yahoo":
            frame = parse_yahoo_chart_json(text, asset_id, name, today)
            frames.append(drop_contradicted_ranges(frame) if asset_id in SNAPSHOT_CLOSES else frame)
        elif source == "coinbase":
            frames.append(parse_coinbase_candles(text, asset_id, name, today))
        else:
            frames.append(parse_close_csv(text, asset_id, name, today, "fred", "observation_date", LIVE[asset_id][1]))
    return pl.concat(frames).unique(["asset_id", "date"], keep="last", maintain_order=True)


def fetch_live(yahoo: YahooSource, coinbase: CoinbaseSource, fred: FredSource, start, end) -> dict[str, bytes]:
    payloads = {}
    for asset_id, (source, symbol) in LIVE.items():
        if source == "yahoo":
            payloads[f"prices/yahoo/{asset_id}.json"] = yahoo.chart_json(symbol, start - LOOKBACK, end)
        elif source == "coinbase":
            payloads.update(
                {
                    name.replace(f"/{symbol}.", f"/{asset_id}."): body
                    for name, body in coinbase.daily_candles(symbol, start - LOOKBACK, end).items()
                }
            )
        else:
            payloads[f"prices/fred/{asset_id}.csv"] = fred.series_csv(symbol, start - LOOKBACK, end)
    return payloads


def inputs(load: Load) -> Inputs:
    manifest = pl.read_csv(io.BytesIO(load.snapshot.read_bytes(MANIFEST)), infer_schema_length=0)
    # Live: the assets in LIVE from their services, the rest from their bundled files.
    kept = manifest.filter(~pl.col("asset_id").is_in(list(LIVE)))

    def bundled_files(files: pl.Series) -> dict[str, bytes]:
        return {
            MANIFEST: load.snapshot.read_bytes(MANIFEST),
            **{f"prices/{f}": load.snapshot.read_bytes(f"prices/{f}") for f in files},
        }

    def live_files() -> dict[str, bytes]:
        load.log.info(f"prices live for {len(LIVE)} assets; from the bundled file: {kept['asset_id'].to_list()}")
        r = load.resources
        return {**bundled_files(kept["file"]), **fetch_live(r.yahoo, r.coinbase, r.fred, *load.days)}

    return Inputs(
        bundled=Input("bundled_snapshot", lambda: bundled_files(manifest["file"]), lambda p: parse_prices(p, manifest)),
        live=Input("live", live_files, lambda p: parse_live_prices(p, parse_prices(p, kept) if kept.height else None)),
    )


raw_prices = raw_asset(
    Family(
        "prices",
        inputs,
        live_resources=("yahoo", "coinbase", "fred"),
        about=" Sources per asset in data/snapshot/prices/manifest.csv; live: Yahoo chart API, Coinbase candles "
        "(BTC, ETH), FRED (IXIC).",
    )
)
