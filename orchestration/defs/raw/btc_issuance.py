"""raw/btc_issuance: new BTC per day from circulating supply (bundled) or block heights (live, mempool.space),
continued by the subsidy schedule where neither exists."""

from datetime import timedelta

from orchestration.lib.batch import Input
from orchestration.lib.raw_asset import Family, Inputs, Load, raw_asset
from orchestration.settings import today_utc
from transforms.issuance import daily_issuance, issuance_from_heights, parse_block_heights, parse_supply_csv

SUPPLY_FILE = "issuance/btc_supply_daily.csv"


def inputs(load: Load) -> Inputs:
    today = today_utc()
    # A day is complete at the next UTC midnight: today's partition has no issuance yet. The narrowed window
    # (and so the schedule's end date) is an input too: a new day is a new batch.
    days = (load.days[0], min(load.days[1], today - timedelta(days=1)))
    return Inputs(
        # Bundled, or a window of only today (nothing complete to fetch): the supply file and the schedule.
        bundled=Input(
            "bundled_snapshot+subsidy_schedule",
            lambda: {SUPPLY_FILE: load.snapshot.read_bytes(SUPPLY_FILE)},
            lambda p: daily_issuance(parse_supply_csv(p[SUPPLY_FILE], SUPPLY_FILE, today), through=days[1]),
        ),
        live=Input(
            "mempool",
            lambda: load.resources.mempool.heights_at_midnight(*days),
            lambda p: issuance_from_heights(parse_block_heights(p)),
        )
        if days[0] <= days[1]
        else None,
        days=days,
    )


raw_btc_issuance = raw_asset(
    Family(
        "btc_issuance",
        inputs,
        live_resources=("mempool",),
        about=" Schedule rows run to yesterday (UTC); method says which is which. "
        "Live: mempool.space block heights at each UTC midnight.",
    )
)
