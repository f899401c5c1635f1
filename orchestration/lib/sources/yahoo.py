"""Yahoo Finance chart API v8 (JSON): daily bars for stocks, indices, metals futures and FX.

Unofficial and throttled (429 under load): keep the interval between requests generous.
"""

from datetime import date, datetime, time, timedelta, timezone
from typing import ClassVar
from urllib.parse import quote

from orchestration.lib.http import HttpSource


def _epoch(day: date) -> int:
    return int(datetime.combine(day, time(), tzinfo=timezone.utc).timestamp())


class YahooSource(HttpSource):
    base_url: str = "https://query1.finance.yahoo.com/v8/finance/chart"
    source: ClassVar[str] = "yahoo"
    expect: ClassVar[str] = "JSON"
    min_interval_s: float = 2.0

    def chart_json(self, symbol: str, start: date, end: date) -> bytes:
        """Daily bars from start to end inclusive (period2 is exclusive, so the day after end)."""
        return self.get(
            quote(symbol, safe=""),
            {
                "period1": _epoch(start),
                "period2": _epoch(end + timedelta(days=1)),
                "interval": "1d",
                "events": "history",
            },
        )
