"""The Jan–Feb 2026 crash, asked of the warehouse: a marimo notebook (`make notebook`; runs as a script too).

It reads the published copy of the warehouse (warehouse/published/liquidity.duckdb, or the one beside
LIQUIDITY_WAREHOUSE), or the lake when it is set (docs/deploy.md), through read-only connections opened per
query, so it never blocks a scheduled run.
"""

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="Liquidity Mart: the crash")


@app.cell
def _():
    import duckdb
    import marimo as mo
    import plotly.graph_objects as go

    from orchestration import settings
    from orchestration.lib.report import charts, data
    from orchestration.lib.warehouse import reading, where

    live = settings.warehouse_path()

    def sql(query: str, params: list | None = None):
        """One query on the published copy, its connection closed at once (pandas DataFrame)."""
        with reading(live) as conn:
            return conn.execute(query, params or []).df()

    def ask(function):
        """One of the report's own queries (orchestration/lib/report/data.py), on the published copy."""
        with reading(live) as conn:
            return function(conn)

    return ask, charts, data, duckdb, go, live, mo, sql, where


@app.cell
def _(live, mo, where):
    source = where(live)
    how = (
        "attach the lake read-only as docs/deploy.md shows"
        if source.startswith("DuckLake")
        else f"open it yourself with `duckdb -readonly {source}`"
    )
    mo.md(
        f"""
        # Was it liquidity?

        The late-January / early-February 2026 crash in the Liquidity Mart warehouse. Every figure below is a
        query on **`{source}`**, what analysts read: {how}.
        """
    )
    return


@app.cell
def _(mo):
    mo.md(
        """
        ## 1. The stress index around the crash, next to the published indices

        Our index (`marts.mart_liquidity_stress_daily`) and the OFR Financial Stress Index, the St. Louis Fed
        index and the VIX, each as a point-in-time percentile: the day ranked against the days up to it, over
        one common window (`marts.mart_stress_comparison`).
        """
    )
    return


@app.cell
def _(sql):
    comparison = sql("""
        select date, stress_index, stress_index_pct, regime, ofr_fsi_pct, stlfsi4_pct, vix_pct
        from marts.mart_stress_comparison
        where date between '2026-01-15' and '2026-02-20'
        order by date""")
    comparison
    return (comparison,)


@app.cell
def _(comparison, go):
    stress_chart = go.Figure()
    for _column, _label in [
        ("stress_index_pct", "our stress index"),
        ("ofr_fsi_pct", "OFR FSI"),
        ("stlfsi4_pct", "St. Louis Fed FSI"),
        ("vix_pct", "VIX"),
    ]:
        stress_chart.add_scatter(x=comparison["date"], y=comparison[_column], name=_label, mode="lines+markers")
    stress_chart.update_layout(title="Point-in-time percentiles around the crash", yaxis_title="percentile", height=420)
    stress_chart
    return


@app.cell
def _(mo):
    mo.md(
        """
        ### The ten-year index, the liquidity episodes shaded

        The whole history of the index (from the bundled data of 2000 on, the full index exists from late 2016),
        with the dated episodes of `reference.liquidity_episodes` shaded: green where our index reached its 0.95
        point-in-time percentile, grey where it did not or came too late (`marts.mart_stress_episode_evaluation`,
        docs/stress-evaluation.md).
        """
    )
    return


@app.cell
def _(ask, charts, data):
    # The report's own queries and chart: the index from its first full day, the episodes with our verdict.
    decade_chart = charts.stress(ask(data.stress), ask(data.episodes))
    decade_chart
    return


@app.cell
def _(mo):
    mo.md(
        """
        ## 2. What moved first?

        For each asset, its first day in the crash window with a return beyond −2 trailing standard deviations
        (the report's own query). Marginal assets, the first that institutions sell, should break first if
        this was a liquidity event.
        """
    )
    return


@app.cell
def _(ask, charts, data):
    movers = ask(data.first_movers)
    first = movers.iloc[0] if len(movers) else None
    charts.first_movers(movers)
    return first, movers


@app.cell
def _(first, mo, movers):
    mo.vstack(
        [
            mo.md(
                f"**First to break: {first['asset_id']}** ({first['asset_class']}, {first['liquidity_tier']} tier) "
                f"on {first['first_break']:%Y-%m-%d}, at {first['zscore_that_day']:.1f} σ."
                if first is not None
                else "No asset broke −2 σ in the window."
            ),
            movers,
        ]
    )
    return


@app.cell
def _(mo):
    mo.md(
        """
        ## 3. 744k bought against 160k mined?

        The article: *ETFs and treasury companies bought 744k BTC in 2025 against 160k mined*. The data's own
        parts of that sum, from `marts.fct_btc_flows_daily`, beside the article's figures.
        """
    )
    return


@app.cell
def _(ask, charts, data):
    absorption = ask(data.absorption_2025)
    charts.absorption(absorption)
    return (absorption,)


@app.cell
def _(absorption, mo):
    _bought = absorption.query("what == 'bought' and source == 'in the data'")["btc"].sum()
    _mined = absorption.query("what == 'mined' and source == 'in the data'")["btc"].sum()
    mo.md(
        f"In the data, 2025: **{_bought:,.0f} BTC** taken by US spot ETFs and the treasury companies (bought, "
        f"and contributed in kind), against **{_mined:,.0f} BTC** mined: {_bought / _mined:.1f}× issuance."
        if _mined
        else "No 2025 issuance in the warehouse."
    )
    return


@app.cell
def _(sql):
    sql("select kind, item, btc, share_of_claim, basis from marts.mart_btc_buyers_2025 order by position")
    return


@app.cell
def _(mo):
    mo.md(
        """
        ## 4. One claim's evidence

        The claims ledger (`marts.mart_claims`) checks each published figure against the data. Pick a claim.
        """
    )
    return


@app.cell
def _(mo, sql):
    claim_ids = sql("select claim_id from marts.mart_claims order by claim_id")["claim_id"].tolist()
    picked = mo.ui.dropdown(
        options=claim_ids,
        label="claim",
        value="btc_bought_744k_2025" if "btc_bought_744k_2025" in claim_ids else claim_ids[0],
    )
    picked
    return (picked,)


@app.cell
def _(mo, picked, sql):
    claim = sql(
        """
        select article, claim_id, subject, quote, claimed_text, observed_value, observed_basis, unit, verdict,
               verdict_reason, evidence, interpretation
        from marts.mart_claims where claim_id = ?""",
        [picked.value],
    ).iloc[0]
    # Every basis the warehouse holds for the claim: a basis_dependent verdict is read here.
    bases = sql(
        """
        select basis, value, value_kind, verdict_on_basis, evidence, missing_reason
        from marts.mart_claim_evidence where claim_id = ? order by not is_primary, basis""",
        [picked.value],
    )
    mo.vstack(
        [
            mo.md(
                f"""
        **{claim["subject"]}** ({claim["article"]}): *“{claim["quote"]}”*

        - the article: {claim["claimed_text"]}
        - the data: {claim["observed_value"]:,.4g} {claim["unit"]} ({claim["observed_basis"]})
        - verdict: **{claim["verdict"]}**: {claim["verdict_reason"]}
        - evidence: {claim["evidence"]}
        """
            ),
            mo.ui.table(bases, selection=None),
        ]
    )
    return (claim,)


@app.cell
def _(mo):
    mo.md(
        """
        ---
        Your own question: any SQL on what analysts read, for example
        `sql("select * from marts.fct_asset_daily where asset_id = 'XAG' and date >= '2026-01-26'")`.
        """
    )
    return


if __name__ == "__main__":
    app.run()
