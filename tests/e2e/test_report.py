"""The crash report: built by `make run`'s materialization, self-contained, and every chart drawn in a browser."""

import re

import duckdb

from orchestration import settings
from orchestration.lib.report.build import SECTIONS
from tests.browser import ARTIFACTS, browser_page, offline, screenshot
from tests.shared_warehouse import copy_of_built


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
        black_holes = [
            str(d)
            for (d,) in conn.execute(
                "select date from marts.mart_liquidity_stress_daily where regime = 'liquidity_black_hole'"
            ).fetchall()
        ]
    with browser_page(height=1000) as page:
        requested = offline(page)
        page.goto(path.as_uri())
        page.wait_for_selector(".chart .main-svg", timeout=30_000)
        page.wait_for_load_state("networkidle")
        for name in SECTIONS:
            chart = page.locator(f".chart[data-chart='{name}']")
            assert chart.locator(".main-svg").count() >= 1, f"chart {name} has no plot"
            assert chart.locator("g.trace, .heatmaplayer image").count() > 0, f"chart {name} drew no traces"
        assert page.locator("table.claims tbody tr").count() == n_claims
        text = page.locator("#black-holes").inner_text()
        assert all(day in text for day in black_holes)
        assert page.errors == [], page.errors
        screenshot(page, "report.png", full_page=True)
        page.locator("#black-holes").screenshot(path=str(ARTIFACTS / "report-black-holes.png"))
        # The quarter century with the liquidity episodes shaded (docs/report-stress.png is this picture).
        assert page.locator("#stress .chart .shapelayer path").count() >= 24, "the episodes are not shaded"
        page.locator("#stress").screenshot(path=str(ARTIFACTS / "report-stress.png"))
    assert [u for u in requested if not u.startswith("file:")] == []


MARKUP = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\"><b>bold</b> & 'q'"


def test_markup_in_the_warehouse_is_shown_as_text_never_run(built, tmp_path):
    """A claim's quote and evidence, an event's description and an asset's class (in a table and a chart's
    labels), holding markup."""
    import shutil

    from orchestration.lib.report.build import write_report
    from orchestration.lib.warehouse import writing

    warehouse, _ = report_of(built)
    copy = tmp_path / "liquidity.duckdb"
    shutil.copy(warehouse, copy)
    with writing(copy) as conn:  # publishes the copy, which the report reads
        claim = conn.execute("select claim_id from marts.mart_claims order by claim_id limit 1").fetchone()[0]
        conn.execute("update marts.mart_claims set quote = ?, evidence = ? where claim_id = ?", [MARKUP, MARKUP, claim])
        # An asset the report lists among the first movers (a second source is left out of that list).
        mover = conn.execute(
            "select f.asset_id from marts.fct_asset_daily f join marts.dim_asset a using (asset_id) "
            "where f.date between '2026-01-15' and '2026-02-10' and f.zscore_return_1d < -2 "
            "and a.second_source_of is null order by f.asset_id limit 1"
        ).fetchone()[0]
        conn.execute("update marts.dim_asset set asset_class = ? where asset_id = ?", [MARKUP, mover])
        conn.execute("update marts.dim_market_event set description = ? where event_id = 'silver-crash'", [MARKUP])
    page_html = write_report(str(copy), tmp_path / "report.html").read_text()
    assert "<script>window.__pwned" not in page_html and "<img src=x" not in page_html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page_html
    with browser_page() as page:
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto((tmp_path / "report.html").as_uri())
        page.wait_for_selector(".chart .main-svg", timeout=30_000)
        assert page.evaluate("window.__pwned") is None, "markup from the warehouse ran"
        assert page.locator("img[src='x']").count() == 0 and dialogs == []
        row = page.locator("table.claims tbody tr", has_text="window.__pwned").first
        assert MARKUP in row.inner_text(), "the quote is shown as the text it is"
        assert MARKUP in page.locator("#black-holes").inner_text(), "the asset class is shown as text in the table"
        assert MARKUP in page.locator("#events").inner_text(), "an event's description is shown as text"
        assert page.errors == [], page.errors


def test_the_report_lists_the_crash_windows_events_with_their_sources(built):
    warehouse, path = report_of(built)
    page = path.read_text()
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        events = conn.execute(
            "select title, source from marts.dim_market_event where event_date between '2026-01-15' and '2026-02-10'"
        ).fetchall()
    assert len(events) >= 5
    import html

    text = html.unescape(page)
    for title, source in events:
        assert title in text and source in text, title  # whole, not cut at 50 characters
    assert ">nan<" not in page, "a missing value is shown as missing, never as 'nan'"


def test_an_article_page_marks_each_statement_by_its_verdict_in_chromium(built, tmp_path, monkeypatch):

    from orchestration.commands.cli import main
    from orchestration.lib.report.build import write_report

    copy = copy_of_built(built, tmp_path)
    monkeypatch.setenv(settings.WAREHOUSE_ENV, str(copy))
    article = tmp_path / "markup_test.md"
    article.write_text(
        "Published 2024-08-06\n\n# A test of the page\n\n"
        "The Nasdaq Composite fell 3.4% on Monday <script>window.hacked = 1</script>. Bitcoin dropped 25% that day.\n\n"
        'The 58-year-old trader said at 9:30 a.m. that "this is forced selling".\n'
    )
    assert main(["claims", "check", str(article)]) == 0
    report = write_report(str(copy), settings.report_path(copy))
    page_path = report.parent / "articles" / "markup_test.html"
    assert page_path.is_file() and "articles/markup_test.html" in report.read_text()
    with duckdb.connect(str(copy), read_only=True) as conn:
        verdicts = dict(
            conn.execute("select claim_id, verdict from marts.mart_claims where article = 'markup_test'").fetchall()
        )
    assert sorted(verdicts.values()) == ["confirmed", "contradicted"]
    with browser_page(height=900) as page:
        page.goto(page_path.as_uri())
        assert page.evaluate("window.hacked") is None  # the article's markup is shown, never run
        marks = page.locator("article mark.claim")
        assert marks.count() == 2 and page.locator("article mark.claim.contradicted").count() == 1
        assert page.locator("ol.notes li").count() == len(verdicts)
        assert page.locator("article mark.left-out").count() >= 2  # the age and the time of day
        assert "the data: -3.434%" in page.locator("ol.notes").inner_text()
        assert page.locator("h2", has_text="A test of the page").count() == 1
        assert page.errors == [], page.errors
        screenshot(page, "article.png", full_page=True)
