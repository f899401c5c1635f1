"""The stress index judged episode by episode (marts.mart_stress_episode_evaluation and
marts.mart_stress_index_scorecard) as the tables docs/stress-evaluation.md states and `make run` prints."""

from __future__ import annotations

MEASURES = ["OURS", "OURS_EX_CRYPTO", "OURS_BEFORE_RATES", "OFR_FSI", "STLFSI4", "VIXCLS", "BAMLH0A0HYM2"]
LABELS = {
    "OURS": "ours",
    "OURS_EX_CRYPTO": "ours, crypto-free",
    "OURS_BEFORE_RATES": "ours before rates",
    "OFR_FSI": "OFR FSI",
    "STLFSI4": "STLFSI4",
    "VIXCLS": "VIX",
    "BAMLH0A0HYM2": "HY OAS",
}
PERIODS = ("2000-2015", "2016-2026", "all")


def _pct(value) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def episode_table(conn, period: str) -> str:
    """One row per episode of the period: each measure's highest point-in-time percentile in the window, bold
    when >= 0.95; a dash where the measure had no percentile yet."""
    rows = conn.execute(
        """
        select episode_id, start_date, end_date, crypto_or_carry, index_id, days_judged, max_pct
        from marts.mart_stress_episode_evaluation where period = ? order by start_date, episode_id""",
        [period],
    ).fetchall()
    episodes: dict[str, dict] = {}
    for episode, start, end, cc, index_id, days, pct in rows:
        e = episodes.setdefault(episode, {"window": f"{start} .. {end}", "cc": cc})
        e[index_id] = (days, pct)
    head = "| episode | window | crypto or carry | " + " | ".join(LABELS[m] for m in MEASURES) + " |"
    lines = [head, "|" + "---|" * (3 + len(MEASURES))]
    for episode, e in episodes.items():
        cells = []
        for m in MEASURES:
            days, value = e.get(m, (0, None))
            text = "–" if not days else _pct(value)
            cells.append(f"**{text}**" if value is not None and value >= 0.95 else text)
        lines.append(f"| {episode} | {e['window']} | {'yes' if e['cc'] else 'no'} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def scorecard_table(conn) -> str:
    rows = conn.execute("""
        select index_id, period, episodes_judged, episodes_reached, crypto_or_carry_judged, crypto_or_carry_reached,
               false_alarm_share, median_lead_sessions
        from marts.mart_stress_index_scorecard""").fetchall()
    lines = [
        "| measure | period | episodes reaching 0.95 | crypto or carry episodes reaching 0.95 | false alarms | "
        "median lead (sessions) |",
        "|---|---|---|---|---|---|",
    ]
    order = {m: i for i, m in enumerate(MEASURES)}
    for index_id, period, judged, reached, cc_judged, cc_reached, false_alarms, lead in sorted(
        rows, key=lambda r: (PERIODS.index(r[1]), order[r[0]])
    ):
        lead_text = "n/a" if lead is None else f"{lead:g}"
        alarms = "n/a" if false_alarms is None else f"{false_alarms:.1%}"
        lines.append(
            f"| {LABELS[index_id]} | {period} | {reached} of {judged} | {cc_reached} of {cc_judged} | {alarms} | "
            f"{lead_text} |"
        )
    return "\n".join(lines)


def lead_table(conn, period: str) -> str:
    """Per episode of the period: our full index's and crypto-free variant's lead against the OFR FSI's."""
    rows = conn.execute(
        """
        select episode_id,
               max(lead_sessions) filter (where index_id = 'OURS'),
               max(days_judged) filter (where index_id = 'OURS'),
               max(lead_sessions) filter (where index_id = 'OURS_EX_CRYPTO'),
               max(days_judged) filter (where index_id = 'OURS_EX_CRYPTO'),
               max(lead_sessions) filter (where index_id = 'OFR_FSI'),
               max(days_judged) filter (where index_id = 'OFR_FSI')
        from marts.mart_stress_episode_evaluation where period = ?
        group by episode_id, start_date order by start_date""",
        [period],
    ).fetchall()

    def cell(lead, days):
        return "–" if not days else ("never ≥ 0.90" if lead is None else f"{lead:d}")

    lines = ["| episode | ours | ours, crypto-free | OFR FSI |", "|---|---|---|---|"]
    for episode, lo, do, lx, dx, lf, df in rows:
        lines.append(f"| {episode} | {cell(lo, do)} | {cell(lx, dx)} | {cell(lf, df)} |")
    return "\n".join(lines)


def decade_rank(conn, window: tuple[str, str]) -> tuple[int, int, str, float]:
    """Where the window's highest index value ranks among every day with the full index: (rank, days, first
    day, share of days at or above it)."""
    rank, days, first = conn.execute(
        """
        with days as (select date, stress_index from marts.mart_liquidity_stress_daily
                      where stress_index is not null),
             peak as (select max(stress_index) as top from days where date between ? and ?)
        select (select count(*) from days, peak where stress_index > top) + 1, (select count(*) from days),
               (select min(date) from days) from peak""",
        list(window),
    ).fetchone()
    return rank, days, str(first), rank / days


def since_2000(conn, window: tuple[str, str]) -> dict:
    """Where the crypto-free variant (from 2000) puts the window's peak and the latest day among every day since
    2000: ranks (1 = the most stressed), the days, and the latest day."""
    row = conn.execute(
        """
        with days as (select date, stress_index_ex_crypto as v from marts.mart_liquidity_stress_daily
                      where stress_index_ex_crypto is not null and date >= '2000-01-01'),
             peak as (select max(v) as top from days where date between ? and ?),
             latest as (select arg_max(v, date) as v, max(date) as day from days)
        select (select count(*) from days, peak where v > top) + 1,
               (select count(*) from days, latest where days.v > latest.v) + 1,
               (select count(*) from days), (select day from latest), (select min(date) from days)""",
        list(window),
    ).fetchone()
    return dict(zip(("window_rank", "latest_rank", "days", "latest", "first"), row, strict=True))


# The pre-registration (docs/stress-evaluation.md): the crypto-free variant's candidate formulas, judged on the
# training period only. Every series is read up to TRAINING_END and ranked point in time from TRAINING_START.
TRAINING_START, TRAINING_END = "2000-01-01", "2015-12-31"
CANDIDATES = {
    "ex_crypto": ["z_turbulence_xc", "z_absorption_shift_xc", "z_avg_pairwise_corr_xc", "carry_unwind_score"],
    "ex_crypto_with_rates": [
        "z_turbulence_xc",
        "z_absorption_shift_xc",
        "z_avg_pairwise_corr_xc",
        "carry_unwind_score",
        "z_rates_turbulence",
    ],
}
PUBLISHED = ["OFR_FSI", "STLFSI4", "VIXCLS", "BAMLH0A0HYM2"]


def candidate_index(frame, components: list[str]):
    """A candidate's crypto-free index over the components that exist that day (transforms/stress.py's formula)."""
    import polars as pl

    from transforms.stress import index_over

    return frame.select("date", index_over(components, pl.col("n_classes_down_2sigma_xc")).alias("value"))


def training_table(conn) -> str:
    """Per measure, on 2000-2015 only: episodes reaching 0.95, crypto or carry ones, false alarms, median lead."""
    from datetime import date

    import polars as pl

    from transforms.episode_scoring import judge, pit_percentile

    first, last = date.fromisoformat(TRAINING_START), date.fromisoformat(TRAINING_END)
    measures = conn.execute(
        "select * from intermediate.int_cross_asset_measures where date between ? and ? order by date", [first, last]
    ).pl()
    episodes = conn.execute("select * from reference.liquidity_episodes").pl()
    series = {name: candidate_index(measures, parts) for name, parts in CANDIDATES.items()}
    published = conn.execute(
        "select index_id, date, value from staging.stg_raw__stress_indices where date between ? and ? order by date",
        [first, last],
    ).pl()
    for index_id in PUBLISHED:
        series[index_id] = published.filter(pl.col("index_id") == index_id).select("date", "value")
    lines = [
        "| measure | episodes reaching 0.95 | crypto or carry episodes reaching 0.95 | false alarms | median lead "
        "(sessions) |",
        "|---|---|---|---|---|",
    ]
    for name, frame in series.items():
        frame = frame.drop_nulls("value").sort("date")
        ranked = frame.with_columns(pit_percentile(frame["value"]).alias("pct"))
        _, s = judge(ranked, episodes, first, last)
        label = LABELS.get(name, name.replace("_", " "))
        lead = "n/a" if s["median_lead"] is None else f"{s['median_lead']:g}"
        lines.append(
            f"| {label} | {s['reached']} of {s['judged']} | {s['cc_reached']} of {s['cc_judged']} | "
            f"{s['false_alarms']:.1%} | {lead} |"
        )
    return "\n".join(lines)
