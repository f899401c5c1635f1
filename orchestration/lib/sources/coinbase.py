"""Coinbase Exchange public candles: `[time, low, high, open, close, volume]`, at most 300 per request."""

from datetime import date, datetime, time, timedelta, timezone
from typing import ClassVar

from orchestration.lib.http import HttpSource

MAX_CANDLES = 300
DAY_SECONDS = 86_400


class CoinbaseSource(HttpSource):
    base_url: str = "https://api.exchange.coinbase.com"
    source: ClassVar[str] = "coinbase"
    expect: ClassVar[str] = "JSON"

    def daily_candles(self, product: str, start: date, end: date) -> dict[str, bytes]:
        """One payload per request of up to 300 days, named by product and first day."""
        payloads = {}
        first = start
        while first <= end:
            last = min(end, first + timedelta(days=MAX_CANDLES - 1))
            params = {
                "granularity": DAY_SECONDS,
                "start": datetime.combine(first, time(), tzinfo=timezone.utc).isoformat(),
                "end": datetime.combine(last, time(), tzinfo=timezone.utc).isoformat(),
            }
            payloads[f"prices/coinbase/{product}.{first.isoformat()}.json"] = self.get(
                f"products/{product}/candles", params
            )
            first = last + timedelta(days=1)
        return payloads
