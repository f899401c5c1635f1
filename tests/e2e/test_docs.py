"""The dbt docs site: one offline HTML file, opened in headless Chromium with no network, showing a mart."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

from orchestration import settings
from orchestration.commands.dbt_docs import docs_path
from tests.browser import browser_page, offline, screenshot

LIQMART = str(Path(sys.executable).parent / "liqmart")


def mart_columns(model: str) -> dict[str, str]:
    spec = yaml.safe_load((settings.DBT_PROJECT_DIR / "models" / "marts" / "_marts__models.yml").read_text())
    columns = next(m for m in spec["models"] if m["name"] == model)["columns"]
    return {c["name"]: " ".join(str(c.get("description", "")).split()) for c in columns}


def test_make_docs_writes_one_offline_page_showing_every_column_of_a_mart(built):
    warehouse, result = built
    assert result.success
    done = subprocess.run(
        [LIQMART, "docs"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, settings.WAREHOUSE_ENV: str(warehouse)},
    )
    assert done.returncode == 0, done.stderr
    page_path = docs_path(warehouse)
    assert page_path.is_file() and str(page_path) in done.stdout
    columns = mart_columns("fct_asset_daily")
    with browser_page(height=1200) as page:
        requested = offline(page, ("file:", "data:"))
        page.goto(f"{page_path.as_uri()}#!/model/model.liquidity_mart.fct_asset_daily")
        page.wait_for_selector("text=zscore_return_1d", timeout=30_000)
        text = page.inner_text("body")
        missing = [c for c in columns if c not in text]
        assert not missing, f"columns missing from the model's page: {missing}"
        described = next(d for d in columns.values() if len(d) > 20)
        assert described[:40] in " ".join(text.split()), "a column's description is shown"
        assert "BIGINT" in text or "DOUBLE" in text, "the catalog's column types are shown"
        screenshot(page, "dbt-docs-fct_asset_daily.png", full_page=True)
        # Lineage: the model's page lists what it depends on.
        assert "stg_" in text or "int_" in text
        # The tree's icons resolve in the page itself (no literal "{{ getIcon(...) }}" loaded as a file URL).
        assert page.locator("svg.menu-icon-on use").first.get_attribute("xlink:href").startswith("#icn-")
        assert page.errors == [], page.errors[:5]
    assert [u for u in requested if not u.startswith(("file:", "data:"))] == []
