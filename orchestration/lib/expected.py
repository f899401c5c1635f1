"""Checks the bundled snapshot is known to fail, and why: said in each check's result in the UI and in the run's
summary, so a user tells a known hole in the shipped data from a new problem. Live data gets no such note."""

from __future__ import annotations

EXPECTED_ON_SNAPSHOT = {
    "freshness_check": "the bundled snapshot is fixed (it ends in August 2026), so its newest day only ages",
    "btc_sources_reconcile": "the main BTC file's close is a partial UTC day from 2025 on",
    "crypto_close_meets_next_open": "the same partial days in the main BTC and ETH files",
    "calendar_gaps": "markets shut (2001-09-11..14, 2007-01-02, Hurricane Sandy 2012, Japan's ten-day Golden "
    "Week of 2019), the spot-silver hole of 2018-03-01..16, Yahoo futures' missing days of 2000, some BTC and "
    "ETH days in mid-2026; in the rates history, the MOF's 1-3 year JGBs unquoted for months in 1978-80 and five-day "
    "US holiday closures of 1971-82",
}


def all_bundled(sources) -> bool:
    """Every family reads the bundled snapshot (a SourceModes resource)."""
    return not any(sources.live(family) for family in type(sources).model_fields)


def expected_note(check: str, sources, passed: bool) -> str:
    """The prefix a failed check's description gets when the bundled snapshot is known to fail it; else ''."""
    if passed or check not in EXPECTED_ON_SNAPSHOT or not all_bundled(sources):
        return ""
    return f"WARN as expected on the bundled snapshot ({EXPECTED_ON_SNAPSHOT[check]}). "
