"""Plotly figures for the report, one function per section. Pure: frames in, figures out."""

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from orchestration.settings import CRASH_WINDOW

REGIME_COLOURS = {"calm": "#9aa5b1", "stressed": "#f0a030", "liquidity_black_hole": "#c0392b"}
LAYOUT = dict(
    template="plotly_white", height=420, margin=dict(l=60, r=30, t=50, b=40), legend=dict(orientation="h", y=-0.15)
)


def drawdowns(frame: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    for asset, rows in frame.groupby("asset_id", sort=False):
        fig.add_scatter(x=rows["date"], y=100 * rows["drawdown"], name=asset, mode="lines")
    fig.add_vrect(x0=CRASH_WINDOW[0], x1=CRASH_WINDOW[1], fillcolor="#c0392b", opacity=0.08, line_width=0)
    return fig.update_layout(title="Drawdown from each asset's high since 1 Oct 2025 (%)", yaxis_title="%", **LAYOUT)


def return_heatmap(frame: pd.DataFrame) -> go.Figure:
    wide = frame.pivot_table(index="asset_id", columns="date", values="return_1d", sort=False)
    wide = wide.reindex(frame["asset_id"].drop_duplicates())
    labels = [d.strftime("%b %d") for d in pd.to_datetime(wide.columns)]
    fig = go.Figure(
        go.Heatmap(
            z=100 * wide.to_numpy(),
            x=labels,
            y=list(wide.index),
            zmid=0,
            zmin=-15,
            zmax=15,
            colorscale="RdYlGn",
            colorbar=dict(title="return %"),
            hovertemplate="%{y} %{x}: %{z:.2f}%<extra></extra>",
        )
    )
    return fig.update_layout(
        title="Daily returns, 20 Jan – 10 Feb 2026 (crypto trades at weekends)", **{**LAYOUT, "height": 520}
    )


def stress(frame: pd.DataFrame, episodes: pd.DataFrame | None = None) -> go.Figure:
    """A quarter century: the full index (from 2016) and its crypto-free variant (from 2000), the dated
    liquidity episodes shaded (green where ours reached its 0.95 point-in-time percentile: the full index where
    it exists, else the variant; grey where it did not)."""
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        row_heights=[0.6, 0.4],
        vertical_spacing=0.06,
        subplot_titles=("Stress index and regime", "Components (standardised)"),
    )
    for column, name, color in (
        ("stress_index_ex_crypto", "crypto-free variant", "#95a5a6"),
        ("stress_index", "stress index", "#34495e"),
    ):
        fig.add_scatter(
            x=frame["date"], y=frame[column], name=name, mode="lines", line=dict(color=color, width=1), row=1, col=1
        )
    for regime in ("stressed", "liquidity_black_hole"):
        days = frame[frame["regime"] == regime]
        fig.add_scatter(
            x=days["date"],
            y=days["stress_index"],
            name=regime,
            mode="markers",
            marker=dict(color=REGIME_COLOURS[regime], size=6 if regime == "stressed" else 12),
            row=1,
            col=1,
        )
    for e in (episodes if episodes is not None else pd.DataFrame()).itertuples():
        reached = bool(e.reached_95)
        fig.add_vrect(
            x0=pd.Timestamp(e.start_date) - pd.Timedelta(days=3),
            x1=pd.Timestamp(e.end_date) + pd.Timedelta(days=3),
            fillcolor="#27ae60" if reached else "#7f8c8d",
            opacity=0.2,
            line_width=0,
            annotation_text=e.episode_id.split("_")[0],
            annotation_position="top left",
            annotation_font_size=9,
            row=1,
            col=1,
        )
    for column, label in [
        ("z_turbulence", "turbulence"),
        ("z_absorption_shift", "absorption-ratio shift"),
        ("z_avg_pairwise_corr", "average correlation"),
        ("carry_unwind_score", "carry unwind"),
        ("z_rates_turbulence", "rates turbulence"),
        ("n_classes_down_2sigma", "classes down 2σ"),
    ]:
        fig.add_scatter(x=frame["date"], y=frame[column], name=label, mode="lines", line=dict(width=1), row=2, col=1)
    first = pd.Timestamp(frame["date"].min()).year if len(frame) else ""
    last = pd.Timestamp(frame["date"].max()).year if len(frame) else ""
    title = f"Our liquidity stress index and its crypto-free variant, {first}–{last}, with the episodes shaded"
    return fig.update_layout(title=title, **{**LAYOUT, "height": 620})


def jgb_and_yen(curve: pd.DataFrame, yen: pd.DataFrame) -> go.Figure:
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    for tenor, rows in curve.groupby("tenor_years"):
        fig.add_scatter(x=rows["date"], y=rows["yield_pct"], name=f"JGB {int(tenor)}y", mode="lines", secondary_y=False)
    fig.add_scatter(
        x=yen["date"],
        y=yen["close"],
        name="USDJPY (right)",
        mode="lines",
        line=dict(color="#7f8c8d", dash="dot"),
        secondary_y=True,
    )
    fig.add_vline(x="2026-01-20", line_dash="dash", line_color="#c0392b")
    fig.update_yaxes(title_text="yield %", secondary_y=False)
    fig.update_yaxes(title_text="yen per dollar", secondary_y=True)
    return fig.update_layout(
        title="JGB yields (Ministry of Finance, end of day) and USDJPY; dashed: 20 Jan 2026", **LAYOUT
    )


def etf_flows(frame: pd.DataFrame) -> go.Figure:
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    colours = ["#27ae60" if v >= 0 else "#c0392b" for v in frame["etf_net_flow_usd"]]
    fig.add_bar(
        x=frame["date"],
        y=frame["etf_net_flow_usd"] / 1e6,
        name="ETF net flow (US$ m)",
        marker_color=colours,
        secondary_y=False,
    )
    fig.add_scatter(
        x=frame["date"],
        y=frame["btc_close"],
        name="BTC close (right)",
        mode="lines",
        line=dict(color="#f39c12"),
        secondary_y=True,
    )
    fig.update_yaxes(title_text="US$ m", secondary_y=False)
    fig.update_yaxes(title_text="US$", secondary_y=True)
    return fig.update_layout(title="US spot bitcoin ETF net flows against the BTC price", **LAYOUT)


def absorption(frame: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    for part, rows in frame.groupby("part", sort=False):
        fig.add_bar(
            x=rows["what"] + " (" + rows["source"] + ")",
            y=rows["btc"],
            name=part,
            text=[f"{v:,.0f}" for v in rows["btc"]],
            textposition="inside",
        )
    return fig.update_layout(
        barmode="stack",
        title="2025 supply absorption: ETFs and treasury companies bought, "
        "protocol mined; the data against the article (BTC)",
        **LAYOUT,
    )


def first_movers(frame: pd.DataFrame) -> go.Figure:
    fig = go.Figure(
        go.Scatter(
            x=frame["first_break"],
            y=frame["asset_id"],
            mode="markers+text",
            text=frame["asset_class"],
            textposition="middle right",
            marker=dict(size=[min(30, 6 * abs(z)) for z in frame["zscore_that_day"]], color="#c0392b"),
            hovertemplate="%{y}: first fall beyond -2σ on %{x}<extra></extra>",
        )
    )
    return fig.update_layout(
        title="What moved first: each asset's first fall beyond −2 trailing σ (15 Jan – 10 Feb)",
        **{**LAYOUT, "height": 380},
    )
