"""FRED's keyless graph CSV: `fredgraph.csv?id=SERIES&cosd=START&coed=END` (St. Louis Fed)."""

from datetime import date
from typing import ClassVar

from orchestration.lib.http import HttpSource


class FredSource(HttpSource):
    base_url: str = "https://fred.stlouisfed.org/graph/fredgraph.csv"
    source: ClassVar[str] = "fred"

    def series_csv(self, series_id: str, start: date, end: date) -> bytes:
        """`observation_date,SERIES` rows from start to end inclusive; the parser checks the header."""
        return self.get("", {"id": series_id, "cosd": start.isoformat(), "coed": end.isoformat()})
