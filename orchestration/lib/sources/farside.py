"""Farside Investors' bitcoin ETF flow table (one HTML page with the whole history)."""

from typing import ClassVar

from orchestration.lib.http import HttpSource

PAGE = "bitcoin-etf-flow-all-data/"


class FarsideSource(HttpSource):
    base_url: str = "https://farside.co.uk"
    source: ClassVar[str] = "farside"
    expect: ClassVar[str] = "HTML"
    min_interval_s: float = 5.0

    def flow_table_html(self) -> bytes:
        """The whole page; the parser refuses a page without the flow table (a block or consent page)."""
        return self.get(PAGE)
