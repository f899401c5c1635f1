"""The frames the report draws, read from the marts. Each function takes an open DuckDB connection."""

import pandas as pd

DRAWDOWN_ASSETS = ["BTC", "ETH", "XAG", "XAU", "IXIC", "SOX", "AMD", "USDJPY"]
DRAWDOWN_WINDOW = ("2025-10-01", "2026-02-28")
HEATMAP_WINDOW = ("2026-01-20", "2026-02-10")
FIRST_MOVER_WINDOW = ("2026-01-15", "2026-02-10")


def drawdowns(conn) -> pd.DataFrame:
    """Each asset's close against its highest close since the window opened (USDJPY falling = yen rising)."""
    return conn.execute(
        """
        select date, asset_id, close,
               close / max(close) over (partition by asset_id order by date
                                        rows between unbounded preceding and current row) - 1 as drawdown
        from marts.fct_asset_daily
        where asset_id in (select unnest(?)) and date between ? and ?
        order by asset_id, date""",
        [DRAWDOWN_ASSETS, *DRAWDOWN_WINDOW],
    ).df()


def daily_returns(conn) -> pd.DataFrame:
    return conn.execute(
        """
        select f.date, f.asset_id, a.asset_class, f.return_1d, f.zscore_return_1d
        from marts.fct_asset_daily f join marts.dim_asset a using (asset_id)
        where f.date between ? and ? and f.return_1d is not null and a.second_source_of is null
        order by a.asset_class, f.asset_id, f.date""",
        list(HEATMAP_WINDOW),
    ).df()


def stress(conn) -> pd.DataFrame:
    return conn.execute("""
        select date, stress_index, stress_index_ex_crypto, regime, n_classes_down_2sigma, z_turbulence,
               z_absorption_shift, z_avg_pairwise_corr, carry_unwind_score, z_rates_turbulence, worst_z_crypto,
               worst_z_precious_metal, worst_z_equity_index, worst_z_fx
        from marts.mart_liquidity_stress_daily
        where date >= (select min(date) from marts.mart_liquidity_stress_daily
                       where stress_index_ex_crypto is not null)
        order by date""").df()


def episodes(conn) -> pd.DataFrame:
    """The dated liquidity episodes (seed liquidity_episodes) with our verdict on each: the full index's where it
    judged the episode, else the crypto-free variant's (before 2018)."""
    return conn.execute("""
        select e.episode_id, e.name, e.start_date, e.end_date, e.crypto_or_carry,
               coalesce(full_index.max_pct, variant.max_pct) as max_pct,
               coalesce(full_index.reached_95, variant.reached_95, false) as reached_95
        from reference.liquidity_episodes as e
        left join marts.mart_stress_episode_evaluation as full_index
            on full_index.episode_id = e.episode_id and full_index.index_id = 'OURS' and full_index.days_judged > 0
        left join marts.mart_stress_episode_evaluation as variant
            on variant.episode_id = e.episode_id and variant.index_id = 'OURS_EX_CRYPTO'
        order by e.start_date""").df()


def comparison_window(conn) -> pd.DataFrame:
    return conn.execute("""
        select date, stress_index, stress_index_pct, regime, ofr_fsi, ofr_fsi_pct, stlfsi4_pct, vix, vix_pct,
               hy_oas_pct
        from marts.mart_stress_comparison where date between '2026-01-26' and '2026-02-10' order by date""").df()


def jgb_and_yen(conn) -> tuple[pd.DataFrame, pd.DataFrame]:
    curve = conn.execute("""
        select date, tenor_years, yield_pct from marts.fct_rates_daily
        where curve = 'JGB' and tenor_years in (10, 30, 40) and date between '2025-07-01' and '2026-03-31'
        order by tenor_years, date""").df()
    yen = conn.execute("""
        select date, close from marts.fct_asset_daily
        where asset_id = 'USDJPY' and date between '2025-07-01' and '2026-03-31' order by date""").df()
    return curve, yen


def etf_flows_and_btc(conn) -> pd.DataFrame:
    return conn.execute("""
        select f.date, f.etf_net_flow_usd, b.close as btc_close
        from marts.fct_btc_flows_daily f
        left join marts.fct_asset_daily b on b.asset_id = 'BTC' and b.date = f.date
        where f.date between '2025-01-01' and '2026-03-31' order by f.date""").df()


def absorption_2025(conn) -> pd.DataFrame:
    """Each part of 2025's supply absorption in the data (marts.mart_btc_buyers_2025), beside the article's
    figures: what, source, part, btc."""
    return conn.execute("""
        with b as (select item, btc, claimed_btc from marts.mart_btc_buyers_2025),
        v as (select max(btc) filter (where item = 'US spot ETFs') as etf,
                     max(btc) filter (where item = 'Strategy') as strategy,
                     max(btc) filter (where item = 'other treasury companies') as dats,
                     max(btc) filter (where item = 'of which contributed in kind') as in_kind,
                     max(btc) filter (where item = 'protocol issuance (mined)') as mined,
                     max(claimed_btc) as bought
              from b),
        claimed as (select max(claimed_value) filter (where claim_id = 'btc_mined_160k_2025') as mined
                    from marts.mart_claims)
        select 'bought' as what, 'in the data' as source, 'US spot ETFs' as part, etf as btc from v
        union all select 'bought', 'in the data', 'Strategy', strategy from v
        union all select 'bought', 'in the data', 'other treasury companies, bought', dats - in_kind from v
        union all select 'bought', 'in the data', 'contributed in kind', in_kind from v
        union all select 'bought', 'the article', 'claimed', bought from v
        union all select 'mined', 'in the data', 'protocol issuance', mined from v
        union all select 'mined', 'the article', 'claimed', mined from claimed""").df()


def claims(conn) -> pd.DataFrame:
    return conn.execute("""
        select article, claim_id, section, subject, quote, claimed_text, claimed_value, stated_precision, measure,
               unit, observed_value, observed_basis, verdict, verdict_reason, data_says, evidence, interpretation
        from marts.mart_claims
        order by article, case verdict when 'contradicted' then 0 when 'basis_dependent' then 1
                                       when 'confirmed' then 2 else 3 end, section, claim_id""").df()


def black_hole_days(conn) -> pd.DataFrame:
    return conn.execute("""
        select date, stress_index, n_classes_down_2sigma, worst_z_crypto, worst_z_precious_metal,
               worst_z_equity_index, worst_z_fx
        from marts.mart_liquidity_stress_daily where regime = 'liquidity_black_hole' order by date""").df()


def first_movers(conn) -> pd.DataFrame:
    """For each asset, its first day in the crash window with a return beyond -2 trailing standard deviations."""
    return conn.execute(
        """
        select f.asset_id, a.asset_class, a.liquidity_tier,
               min(f.date) as first_break, arg_min(f.return_1d, f.date) as return_that_day,
               arg_min(f.zscore_return_1d, f.date) as zscore_that_day, min(f.zscore_return_1d) as worst_zscore,
               arg_min(f.date, f.zscore_return_1d) as worst_day
        from marts.fct_asset_daily f join marts.dim_asset a using (asset_id)
        where f.date between ? and ? and f.zscore_return_1d < -2 and a.second_source_of is null
        group by all order by first_break, zscore_that_day""",
        list(FIRST_MOVER_WINDOW),
    ).df()


def market_events(conn) -> pd.DataFrame:
    """The curated events of the crash window, each with its source (marts.dim_market_event)."""
    return conn.execute(
        """
        select event_date as date, timing, title, assets, description, source
        from marts.dim_market_event where event_date between ? and ? order by event_date, timing""",
        list(FIRST_MOVER_WINDOW),
    ).df()
