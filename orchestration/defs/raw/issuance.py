"""raw/btc_issuance: new BTC per day from circulating supply (bundled) or block heights (live, mempool.space),
continued by the subsidy schedule where neither exists."""

from datetime import timedelta

import dagster as dg

from orchestration.lib.batch import Input, ingest, raw_asset_args
from orchestration.lib.landing import LandingZone, SnapshotFiles
from orchestration.lib.resources import SourceModes
from orchestration.lib.sources.mempool import MempoolSource
from orchestration.lib.warehouse import Warehouse
from orchestration.lib.window import window, within
from orchestration.settings import today_utc
from transforms.issuance import daily_issuance, issuance_from_heights, parse_block_heights, parse_supply_csv

SUPPLY_FILE = "issuance/btc_supply_daily.csv"


@dg.asset(
    **raw_asset_args(
        "btc_issuance",
        " Schedule rows run to yesterday (UTC); method says which is which. "
        "Live: mempool.space block heights at each UTC midnight.",
    ),
)
def raw_btc_issuance(
    context: dg.AssetExecutionContext,
    warehouse: Warehouse,
    landing: LandingZone,
    snapshot: SnapshotFiles,
    sources: SourceModes,
    mempool: MempoolSource,
) -> dg.MaterializeResult:
    today = today_utc()
    # A day is complete at the next UTC midnight: today's partition has no issuance yet.
    first, last = window(context)
    days = (first, min(last, today - timedelta(days=1)))
    return ingest(
        context,
        warehouse,
        landing,
        "btc_issuance",
        # Bundled, or a window of only today (nothing complete to fetch): the supply file and the schedule.
        bundled=Input(
            "bundled_snapshot+subsidy_schedule",
            lambda: {SUPPLY_FILE: snapshot.read_bytes(SUPPLY_FILE)},
            lambda p: within(
                daily_issuance(parse_supply_csv(p[SUPPLY_FILE], SUPPLY_FILE, today), through=days[1]), "date", days
            ),
        ),
        live=Input(
            "mempool",
            lambda: mempool.heights_at_midnight(*days),
            lambda p: issuance_from_heights(parse_block_heights(p)),
        )
        if days[0] <= days[1]
        else None,
        sources=sources,
        # The window (and so the schedule's end date) is an input too: a new day is a new batch.
        days=days,
    )
