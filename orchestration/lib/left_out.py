"""Raw assets this environment cannot load, and why: runs leave them out of their selection."""

import dagster as dg

from orchestration.lib.raw_tables import RAW_TABLES
from orchestration.lib.resources import SourceModes
from orchestration.lib.sources.coinglass import CoinGlassSource

LIQUIDATIONS = dg.AssetKey(RAW_TABLES["crypto_liquidations"].key)


def left_out(sources: SourceModes, coinglass: CoinGlassSource) -> dict[dg.AssetKey, str]:
    """The raw assets this environment cannot load, and why: liquidations in live mode without a key.

    Runs (schedules, `liqmart run`, `liqmart backfill`) leave them out of their selection rather than let them
    skip inside the run, because Dagster also skips every step downstream of a skipped output, and the marts
    should still rebuild from what the warehouse holds.
    """
    if sources.live("crypto_liquidations") and not coinglass.has_key:
        return {LIQUIDATIONS: f"live mode needs a CoinGlass API key in {coinglass.api_key_env}"}
    return {}
