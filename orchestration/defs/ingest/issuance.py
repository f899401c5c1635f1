"""raw/btc_issuance: new BTC per day from circulating supply, continued by the subsidy schedule."""


from datetime import timedelta

import dagster as dg

from orchestration.defs.ingest.batch import ingest, raw_asset_args
from orchestration.defs.resources import LandingZone, SnapshotFiles, Warehouse
from orchestration.settings import today_utc
from transforms.issuance import daily_issuance, parse_supply_csv

SUPPLY_FILE = "issuance/btc_supply_daily.csv"


@dg.asset(**raw_asset_args("btc_issuance", " Schedule rows run to yesterday (UTC); method says which is which."))
def raw_btc_issuance(context: dg.AssetExecutionContext, warehouse: Warehouse, landing: LandingZone,
                     snapshot: SnapshotFiles) -> dg.MaterializeResult:
    today = today_utc()
    payloads = {SUPPLY_FILE: snapshot.read_bytes(SUPPLY_FILE),
                # The schedule's end date is an input too: a new day is a new batch.
                "schedule_through": str(today - timedelta(days=1)).encode()}
    return ingest(context, warehouse, landing, "btc_issuance", "bundled_snapshot+subsidy_schedule", payloads,
                  lambda p: daily_issuance(parse_supply_csv(p[SUPPLY_FILE].decode("utf-8-sig"), SUPPLY_FILE, today),
                                           through=today - timedelta(days=1)))
