"""CoinGlass aggregated liquidation history (API v4; key in the `CG-API-KEY` header).

The key is read from the environment at request time and sent only as a header: it is never part of the
resource's config (which the UI shows), of a URL, an error, metadata or a landed payload.
"""

import os
from datetime import date, datetime, time, timedelta, timezone
from typing import ClassVar

from orchestration.lib.http import HttpSource

PATH = "api/futures/liquidation/aggregated-history"


class MissingApiKey(RuntimeError):
    pass


class CoinGlassSource(HttpSource):
    base_url: str = "https://open-api-v4.coinglass.com"
    source: ClassVar[str] = "coinglass"
    expect: ClassVar[str] = "JSON"
    api_key_env: str = "COINGLASS_API_KEY"  # the variable's name, never its value
    interval: str = "4h"
    exchange_list: str = "Binance,OKX,Bybit"
    min_interval_s: float = 2.5  # the hobbyist plan allows 30 requests a minute

    @property
    def has_key(self) -> bool:
        return bool(os.environ.get(self.api_key_env, "").strip())

    def history_json(self, coin: str, start: date, end: date) -> bytes:
        if not self.has_key:
            raise MissingApiKey(f"[coinglass] no API key: set {self.api_key_env} to read liquidations live")
        ms = [
            int(datetime.combine(d, time(), tzinfo=timezone.utc).timestamp() * 1000)
            for d in (start, end + timedelta(days=1))
        ]
        return self.get(
            PATH,
            {
                "exchange_list": self.exchange_list,
                "symbol": coin,
                "interval": self.interval,
                "start_time": ms[0],
                "end_time": ms[1],
            },
            headers={"CG-API-KEY": os.environ[self.api_key_env].strip(), "accept": "application/json"},
        )
