"""Assemble the report page: every chart inline (plotly.js embedded once), so it opens with no network."""

import html
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from orchestration.lib.report import charts, data
from orchestration.lib.report.articles import write_article_pages
from orchestration.lib.warehouse import reading
from transforms.claims.contract import VERDICTS

SECTIONS = ["first-movers", "drawdowns", "returns-heatmap", "stress-index", "jgb-yen", "etf-flows", "absorption"]


def _fmt(value, unit: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    return {
        "fraction": f"{100 * value:+.2f}%",
        "usd": f"${value:,.2f}" if abs(value) < 1e9 else f"${value / 1e9:.2f}bn",
        "pct": f"{value:.3f}%",
        "bp": f"{value:+.1f}bp",
        "btc": f"{value:,.0f} BTC",
        "ratio": f"{value:.2f}×",
    }.get(unit, f"{value:g}")


def _table(frame: pd.DataFrame, floats: str = "{:.2f}") -> str:
    # Whole texts: pandas otherwise cuts a cell at 50 characters with "...".
    with pd.option_context("display.max_colwidth", None):
        return frame.to_html(
            index=False, border=0, classes="data", na_rep="–", escape=True, float_format=lambda v: floats.format(v)
        )


def _text(value, missing: str = "–") -> str:
    """A warehouse text, escaped; a missing one (None or NaN) is shown as missing, never as 'nan'."""
    return missing if value is None or (isinstance(value, float) and pd.isna(value)) else html.escape(str(value))


def claims_table(frame: pd.DataFrame) -> str:
    """The ledger, one table per article. Every text from the warehouse is escaped, the verdict too (it also names
    a CSS class): a claim's quote or evidence holding markup is shown as text, never run
    (tests/e2e/test_report.py)."""
    counts = frame["verdict"].value_counts()
    parts = [f"<p>{len(frame)} claims: {', '.join(f'{counts.get(v, 0)} {v}' for v in VERDICTS)}.</p>"]
    for article, claims in frame.groupby("article", sort=True):
        rows = []
        for r in claims.itertuples():
            verdict = html.escape(str(r.verdict), quote=True)
            why = r.data_says if r.verdict != "confirmed" and isinstance(r.data_says, str) else r.verdict_reason
            basis = f"<br><small>{html.escape(r.observed_basis)}</small>" if isinstance(r.observed_basis, str) else ""
            rows.append(
                f"<tr class='{verdict}'><td><b>{html.escape(str(r.subject))}</b><br>"
                f"<q>{html.escape(str(r.quote))}</q></td>"
                f"<td>{html.escape(str(r.claimed_text))}</td><td>{_fmt(r.observed_value, r.unit)}{basis}</td>"
                f"<td><span class='badge {verdict}'>{verdict}</span></td>"
                f"<td>{_text(why)}<details><summary>evidence</summary>"
                f"{_text(r.evidence)}<br><i>{_text(r.interpretation, missing='')}</i>"
                f"</details></td></tr>"
            )
        n = claims["verdict"].value_counts()
        parts.append(
            f"<h3><a href='articles/{html.escape(str(article), quote=True)}.html'>{html.escape(str(article))}</a>: "
            f"{len(claims)} claims "
            f"({', '.join(f'{n.get(v, 0)} {v}' for v in VERDICTS)})</h3>"
            f"<table class='data claims' id='claims-table-{html.escape(str(article), quote=True)}'><thead><tr>"
            "<th>claim</th><th>article</th><th>data</th><th>verdict</th><th>why</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
        )
    return "".join(parts)


def render(database: str) -> str:
    with reading(database) as conn:
        movers = data.first_movers(conn)
        figures = {
            "first-movers": charts.first_movers(movers),
            "drawdowns": charts.drawdowns(data.drawdowns(conn)),
            "returns-heatmap": charts.return_heatmap(data.daily_returns(conn)),
            "stress-index": charts.stress(data.stress(conn), data.episodes(conn)),
            "jgb-yen": charts.jgb_and_yen(*data.jgb_and_yen(conn)),
            "etf-flows": charts.etf_flows(data.etf_flows_and_btc(conn)),
            "absorption": charts.absorption(data.absorption_2025(conn)),
        }
        black_holes = data.black_hole_days(conn)
        events = data.market_events(conn)
        window = data.comparison_window(conn)
        claims = data.claims(conn)
    divs = {}
    for i, (name, fig) in enumerate(figures.items()):
        divs[name] = fig.to_html(
            full_html=False,
            include_plotlyjs=(i == 0),
            div_id=f"chart-{name}",
            config={"displaylogo": False, "responsive": True},
        )
    chart = lambda name: f"<div class='chart' data-chart='{name}'>{divs[name]}</div>"  # noqa: E731
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Liquidity Mart: the Jan–Feb 2026 crash</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1200px; margin: 2em auto; padding: 0 1em; color: #222; }}
h1 {{ margin-bottom: 0; }} .sub {{ color: #666; margin-top: .3em; }}
section {{ margin: 2.5em 0; }} table.data {{ border-collapse: collapse; font-size: 13px; width: 100%; }}
table.data th, table.data td {{ border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: left;
  vertical-align: top; }}
.badge {{ padding: 2px 6px; border-radius: 3px; color: white; font-size: 12px; }}
.badge.confirmed {{ background: #27ae60; }} .badge.contradicted {{ background: #c0392b; }}
.badge.unverifiable {{ background: #7f8c8d; }} .badge.basis_dependent {{ background: #d68910; }}
q {{ color: #555; }} details {{ color: #555; font-size: 12px; }}
nav a {{ margin-right: 1em; }}
</style></head><body>
<h1>Was it liquidity?</h1>
<p class="sub">The late-January / early-February 2026 crash in the Liquidity Mart warehouse. Generated {generated}
from <code>{html.escape(Path(database).name)}</code>; every figure is computed from the marts.</p>
<nav><a href="#black-holes">Black holes</a><a href="#drawdowns">Drawdowns</a><a href="#heatmap">Daily returns</a>
<a href="#stress">Stress index</a><a href="#japan">JGB and yen</a><a href="#flows">ETF flows</a>
<a href="#claims">Claims ledger</a></nav>

<section id="black-holes"><h2>Which days were liquidity black holes, and what moved first?</h2>
<p>A <b>liquidity black hole</b> is a stressed day on which crypto, precious metals and US equities all fell
beyond −2 trailing standard deviations. Days with that regime over the whole sample:</p>
{_table(black_holes)}
<p>What happened in the crash window, as the article and public reporting date it (each event cites its
source; a session's timing says whether it fell before, during or after the US session):</p>
<div id="events">{_table(events)}</div>
<p>In the crash window, the first day each asset fell beyond −2 trailing σ (earliest first):</p>
{_table(movers)}
{chart("first-movers")}
<p>Our index against the published stress measures over the crash (point-in-time percentiles: each day ranked
against the days up to it, over one common window):</p>
{_table(window)}
</section>
<section id="drawdowns"><h2>Cross-asset drawdowns, Oct 2025 – Feb 2026</h2>{chart("drawdowns")}</section>
<section id="heatmap"><h2>Daily returns by asset</h2>{chart("returns-heatmap")}</section>
<section id="stress"><h2>The stress index over a quarter century, the liquidity episodes shaded</h2>
<p>The full index (from 2016) and its crypto-free variant (from 2000). Green: an episode in which ours reached its
0.95 point-in-time percentile (the full index where it exists, else the variant); grey: one it missed
(docs/stress-evaluation.md: the formula fixed on 2000–2015, then judged on 2016–2026).</p>
{chart("stress-index")}</section>
<section id="japan"><h2>JGB curve and the yen</h2>{chart("jgb-yen")}</section>
<section id="flows"><h2>ETF flows, the BTC price and 2025 supply absorption</h2>{chart("etf-flows")}
{chart("absorption")}</section>
<section id="claims"><h2>Claims ledger: the article's figures against the data</h2>
<p>Each article's name opens the article itself, every statement marked by its verdict.</p>
{claims_table(claims)}</section>
</body></html>
"""


def write_report(database: str, target: Path) -> Path:
    """The report page and one annotated page per article (report/articles/), linked from its claims section."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with reading(database) as conn:
        claims = data.claims(conn)
    write_article_pages(claims, Path(database).parent / "claims", target.parent / "articles")
    tmp = target.with_suffix(".tmp")
    tmp.write_text(render(database), encoding="utf-8")
    tmp.replace(target)  # a reader never sees half a page
    return target
