"""mempool.space: the block height at a moment (`/api/v1/mining/blocks/timestamp/{unix}`), for issuance."""

from datetime import date, datetime, time, timedelta, timezone
from typing import ClassVar

from orchestration.lib.http import HttpSource


class MempoolSource(HttpSource):
    base_url: str = "https://mempool.space/api"
    source: ClassVar[str] = "mempool"
    expect: ClassVar[str] = "JSON"

    def heights_at_midnight(self, start: date, end: date) -> dict[str, bytes]:
        """`{height, hash, timestamp}` at 00:00 UTC of each day from start to the day after end: the
        differences count the blocks mined on each day of the window."""
        payloads = {}
        day = start
        while day <= end + timedelta(days=1):
            unix = int(datetime.combine(day, time(), tzinfo=timezone.utc).timestamp())
            payloads[f"issuance/mempool/{day.isoformat()}.json"] = self.get(f"v1/mining/blocks/timestamp/{unix}")
            day += timedelta(days=1)
        return payloads
