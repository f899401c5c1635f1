"""raw/cme_margin_changes: CME margin changes for silver and gold futures, curated, each row citing its source."""

from orchestration.lib.raw_asset import curated, raw_asset

MARGINS_FILE = "reference/cme_margin_changes.csv"

raw_cme_margin_changes = raw_asset(
    curated(
        "cme_margin_changes",
        MARGINS_FILE,
        date_columns=["announced_on", "effective_on"],
        numeric_columns=["margin_before_pct", "margin_after_pct"],
    )
)
