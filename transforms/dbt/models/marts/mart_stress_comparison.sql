{{ config(tags=['after_measures']) }}
-- Our stress index beside the published measures, each with its percentile over its own sample, so a
-- reader sees at once whether ours saw what they missed (or not). Weekly STLFSI4 is taken as of its week.
with ours as (
    select date, stress_index, regime from {{ ref('mart_liquidity_stress_daily') }} where stress_index is not null
),
published as (
    select index_id, observation_date, value,
           percent_rank() over (partition by index_id order by value) as pct
    from {{ ref('stg_raw__stress_indices') }}
),
ranked as (
    select *, percent_rank() over (order by stress_index) as stress_index_pct from ours
)
select
    r.date,
    r.stress_index,
    r.stress_index_pct,
    r.regime,
    ofr.value as ofr_fsi,
    ofr.pct as ofr_fsi_pct,
    stl.value as stlfsi4,
    stl.pct as stlfsi4_pct,
    stl.observation_date as stlfsi4_week,
    vix.value as vix,
    vix.pct as vix_pct,
    hy.value as hy_oas,
    hy.pct as hy_oas_pct
from ranked r
left join published ofr on ofr.index_id = 'OFR_FSI' and ofr.observation_date = r.date
left join published vix on vix.index_id = 'VIXCLS' and vix.observation_date = r.date
left join published hy on hy.index_id = 'BAMLH0A0HYM2' and hy.observation_date = r.date
asof left join (select * from published where index_id = 'STLFSI4') stl on r.date >= stl.observation_date
