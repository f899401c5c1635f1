"""raw/btc_etf_flows: spot bitcoin ETF net flows by issuer from Farside's table."""


import dagster as dg

from orchestration.defs.ingest.batch import ingest, raw_asset_args
from orchestration.defs.resources import LandingZone, SnapshotFiles, Warehouse
from orchestration.settings import today_utc
from transforms.parsers.farside import parse_farside_html

FARSIDE_FILE = "etf_flows/farside_bitcoin_etf_flow_all_data.html"


@dg.asset(**raw_asset_args("btc_etf_flows"))
def raw_btc_etf_flows(context: dg.AssetExecutionContext, warehouse: Warehouse, landing: LandingZone,
                      snapshot: SnapshotFiles) -> dg.MaterializeResult:
    payloads = {FARSIDE_FILE: snapshot.read_bytes(FARSIDE_FILE)}
    return ingest(context, warehouse, landing, "btc_etf_flows", "bundled_snapshot", payloads,
                  lambda p: parse_farside_html(p[FARSIDE_FILE].decode("utf-8"), FARSIDE_FILE, today_utc()))
