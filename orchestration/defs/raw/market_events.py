"""raw/market_events: the dated events of the crash window, curated, each row citing its source."""

from orchestration.lib.raw_asset import curated, raw_asset

EVENTS_FILE = "reference/market_events.csv"

raw_market_events = raw_asset(curated("market_events", EVENTS_FILE, date_columns=["event_date"]))
