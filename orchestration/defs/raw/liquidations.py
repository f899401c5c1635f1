"""raw/crypto_liquidations: CoinGlass aggregated liquidation history, 4-hour bars per coin."""

from datetime import timedelta

import dagster as dg
import polars as pl

from orchestration.lib.batch import Input, ingest, raw_asset_args
from orchestration.lib.landing import LandingZone, SnapshotFiles
from orchestration.lib.raw_tables import RAW_TABLES
from orchestration.lib.resources import SourceModes
from orchestration.lib.sources.coinglass import CoinGlassSource
from orchestration.lib.warehouse import Warehouse
from orchestration.lib.window import window, within
from orchestration.settings import today_utc
from transforms.parsers.coinglass import parse_coinglass_liquidations

COINS = ["BTC", "ETH", "SOL", "XRP"]
KEY = dg.AssetKey(RAW_TABLES["crypto_liquidations"].key)


def left_out(sources: SourceModes, coinglass: CoinGlassSource) -> dict[dg.AssetKey, str]:
    """The raw assets this environment cannot load, and why: liquidations in live mode without a key.

    Runs (schedules, `liqmart run`, `liqmart backfill`) leave them out of their selection rather than let them
    skip inside the run, because Dagster also skips every step downstream of a skipped output, and the marts
    should still rebuild from what the warehouse holds.
    """
    if sources.live("crypto_liquidations") and not coinglass.has_key:
        return {KEY: f"live mode needs a CoinGlass API key in {coinglass.api_key_env}"}
    return {}


def parse_liquidations(payloads: dict[str, bytes]) -> pl.DataFrame:
    return pl.concat(
        [
            parse_coinglass_liquidations(
                payloads[f"liquidations/coinglass/{c}.json"], c, f"liquidations/coinglass/{c}.json", today_utc()
            )
            for c in COINS
        ]
    )


@dg.asset(
    **raw_asset_args(
        "crypto_liquidations",
        " The bundled pull covers May-Nov 2025 only, for a limited "
        "exchange list (see PROVENANCE.md). Live: CoinGlass API v4 with "
        "COINGLASS_API_KEY; without a key the asset is skipped.",
    ),
    output_required=False,
)
def raw_crypto_liquidations(
    context: dg.AssetExecutionContext,
    warehouse: Warehouse,
    landing: LandingZone,
    snapshot: SnapshotFiles,
    sources: SourceModes,
    coinglass: CoinGlassSource,
):
    days = window(context)
    if sources.live("crypto_liquidations") and not coinglass.has_key:
        # Skipped, not failed: the run goes on (runs launched by the project leave this asset out instead).
        context.log.warning(
            f"raw/crypto_liquidations skipped: {left_out(sources, coinglass)[KEY]}; nothing was fetched or written"
        )
        return

    def parse(p: dict[str, bytes]):
        return within(parse_liquidations(p), "bar_start", days)

    yield ingest(
        context,
        warehouse,
        landing,
        "crypto_liquidations",
        bundled=Input(
            "bundled_snapshot",
            lambda: {
                f"liquidations/coinglass/{c}.json": snapshot.read_bytes(f"liquidations/coinglass/{c}.json")
                for c in COINS
            },
            parse,
        ),
        live=Input(
            "coinglass",
            lambda: {
                f"liquidations/coinglass/{c}.json": coinglass.history_json(c, days[0] - timedelta(days=1), days[1])
                for c in COINS
            },
            parse,
        ),
        sources=sources,
        days=days,
    )
