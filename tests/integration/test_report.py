"""The crash report: built by `make run`'s materialization, self-contained, and every chart drawn in a browser."""

import re

import duckdb

from orchestration import settings
from orchestration.report.build import SECTIONS
from tests.browser import ARTIFACTS, browser_page, screenshot


def report_of(built):
    warehouse, result = built
    assert result.success
    path = settings.report_path(warehouse)
    assert path.is_file(), "the report asset did not write its page"
    return warehouse, path


def test_report_is_self_contained(built):
    _, path = report_of(built)
    page = path.read_text()
    # Nothing fetched at view time: no external scripts, styles or images.
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']https?://", page)
    assert page.count("<div class='chart'") == len(SECTIONS)
    for section in ("black-holes", "drawdowns", "heatmap", "stress", "japan", "flows", "claims"):
        assert f'<section id="{section}">' in page


def test_every_chart_renders_in_chromium_without_errors_or_network(built):
    warehouse, path = report_of(built)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        n_claims = conn.execute("select count(*) from marts.mart_claims").fetchall()[0][0]
        black_holes = [str(d) for (d,) in conn.execute("select date from marts.mart_liquidity_stress_daily "
                                                       "where regime = 'liquidity_black_hole'").fetchall()]
    requested = []
    with browser_page(height=1000) as page:
        page.route("**/*", lambda route: (requested.append(route.request.url), route.continue_()
                                          if route.request.url.startswith("file:") else route.abort()))
        page.goto(path.as_uri())
        page.wait_for_selector(".chart .main-svg", timeout=30_000)
        page.wait_for_load_state("networkidle")
        for name in SECTIONS:
            chart = page.locator(f".chart[data-chart='{name}']")
            assert chart.locator(".main-svg").count() >= 1, f"chart {name} has no plot"
            assert chart.locator("g.trace, .heatmaplayer image").count() > 0, \
                f"chart {name} drew no traces"
        assert page.locator("#claims-table tbody tr").count() == n_claims
        text = page.locator("#black-holes").inner_text()
        assert all(day in text for day in black_holes)
        assert page.errors == [], page.errors
        screenshot(page, "report.png", full_page=True)
        page.locator("#black-holes").screenshot(path=str(ARTIFACTS / "report-black-holes.png"))
    assert [u for u in requested if not u.startswith("file:")] == []
