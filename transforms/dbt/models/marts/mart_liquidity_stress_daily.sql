-- One row per US business day of the aligned panel; the measures come from the polars model
-- intermediate/int_cross_asset_measures (a dbt Python model), liquidations from CoinGlass where the data
-- covers the day.
-- Incremental: a refresh rewrites the days from a week before the first day a batch of prices, yields or
-- liquidations it has not read holds (macros/incremental_refresh.sql), the days the measures recompute.
{{ config(materialized='incremental', unique_key=['date'],
          post_hook="{{ record_model_inputs(['prices', 'ust_yields', 'jgb_yields', 'crypto_liquidations']) }}") }}

with liquidations_daily as (select * from {{ ref('fct_liquidations_daily') }}),

cross_asset_measures as (select * from {{ ref('int_cross_asset_measures') }}),

{% if is_incremental() %}
refresh as (
    select {{ first_changed_day({
        'prices': 'date',
        'ust_yields': 'date',
        'jgb_yields': 'date',
        'crypto_liquidations': "cast(timezone('UTC', bar_start) as date)"
    }) }} - interval {{ var('restamp_days') }} day as first_day
),
{% endif %}

measures as (
    select * from cross_asset_measures
    {% if is_incremental() %}
        where date >= (select first_day from refresh)
    {% endif %}
),

liquidations as (
    select date, sum(total_usd order by coin) as crypto_liquidations_usd
    from liquidations_daily
    group by all
)

select
    m.date,
    m.n_classes_down_2sigma,
    m.avg_pairwise_corr_60d,
    m.absorption_ratio,
    m.absorption_ratio_shift,
    m.turbulence,
    m.carry_unwind_score,
    m.z_yen_gain,
    m.gap_change_bp,
    m.gap_change_5d_bp,
    m.z_gap_narrowing,
    l.crypto_liquidations_usd,
    m.z_turbulence,
    m.z_absorption_shift,
    m.z_avg_pairwise_corr,
    m.worst_z_crypto,
    m.worst_z_precious_metal,
    m.worst_z_equity_index,
    m.worst_z_fx,
    m.panel_complete,
    m.n_components,
    m.stress_index,
    m.stress_index_reduced,
    m.z_rates_turbulence,
    m.stress_index_ex_crypto,
    m.stress_index_before_rates,
    m.regime
from measures m
left join liquidations l on l.date = m.date
