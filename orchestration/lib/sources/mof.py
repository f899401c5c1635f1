"""Japan's Ministry of Finance JGB yield CSVs (Shift-JIS): history to last month-end, and the current month."""

from typing import ClassVar

from orchestration.lib.http import HttpSource

# Remote path -> the payload name the parser and the landing zone use.
FILES = {"data/jgbcm_all.csv": "rates/mof/jgbcm_all.csv", "jgbcm.csv": "rates/mof/jgbcm.csv"}


class MofSource(HttpSource):
    base_url: str = "https://www.mof.go.jp/jgbs/reference/interest_rate"
    source: ClassVar[str] = "mof"

    def jgbcm(self) -> dict[str, bytes]:
        """Both files, whole: MOF offers no date range, so the window is cut after parsing."""
        return {name: self.get(remote) for remote, name in FILES.items()}
