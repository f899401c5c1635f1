-- Our stress index, its crypto-free variant and the formula before the rates component, beside the published
-- measures, each with its point-in-time percentile, over the quarter century from 2000: a reader sees at once
-- whether ours saw what they missed (or not). Each day's value is ranked against that series' values from
-- var('stress_rank_from') up to and including that day, never later ones (0 = the lowest so far, 1 = the
-- highest), once the series holds var('stress_rank_burn_in') values: the pre-registered protocol
-- (docs/stress-evaluation.md), the same for every measure. Weekly STLFSI4 is taken as of its week.
with stress_daily as (select * from {{ ref('mart_liquidity_stress_daily') }}),

stress_indices as (select * from {{ ref('stg_raw__stress_indices') }}),

series as (
    select 'OURS' as index_id, date, stress_index as value
    from stress_daily where stress_index is not null
    union all
    select 'OURS_EX_CRYPTO' as index_id, date, stress_index_ex_crypto as value
    from stress_daily where stress_index_ex_crypto is not null
    union all
    select 'OURS_BEFORE_RATES' as index_id, date, stress_index_before_rates as value
    from stress_daily where stress_index_before_rates is not null
    union all
    select index_id, date, value
    from stress_indices
    where date >= date '{{ var("stress_rank_from") }}' and value is not null
),

so_far as (
    -- Each value's rank within its series' rows up to it, as a framed window, not a self-join: the work grows
    -- as n log n with the days.
    select
        index_id,
        date,
        value,
        count(*) over up_to_day as n_so_far,
        rank(order by value) over up_to_day as rank_so_far
    from series
    window up_to_day as (partition by index_id order by date rows unbounded preceding)
),

ranked as (
    -- (how many earlier values are lower) / (count so far - 1), once the series holds the burn-in.
    select
        index_id,
        date,
        value,
        case
            when n_so_far >= {{ var('stress_rank_burn_in') }}
                then (rank_so_far - 1)::double / (n_so_far - 1)
        end as pct
    from so_far
)

select
    d.date,
    d.stress_index,
    ours.pct as stress_index_pct,
    d.stress_index_ex_crypto,
    xc.pct as stress_index_ex_crypto_pct,
    d.stress_index_before_rates,
    before_rates.pct as stress_index_before_rates_pct,
    d.regime,
    ofr.value as ofr_fsi,
    ofr.pct as ofr_fsi_pct,
    stl.value as stlfsi4,
    stl.pct as stlfsi4_pct,
    stl.date as stlfsi4_week,
    vix.value as vix,
    vix.pct as vix_pct,
    hy.value as hy_oas,
    hy.pct as hy_oas_pct
from stress_daily as d
left join ranked as ours on ours.index_id = 'OURS' and ours.date = d.date
left join ranked as xc on xc.index_id = 'OURS_EX_CRYPTO' and xc.date = d.date
left join ranked as before_rates on before_rates.index_id = 'OURS_BEFORE_RATES' and before_rates.date = d.date
left join ranked as ofr on ofr.index_id = 'OFR_FSI' and ofr.date = d.date
left join ranked as vix on vix.index_id = 'VIXCLS' and vix.date = d.date
left join ranked as hy on hy.index_id = 'BAMLH0A0HYM2' and hy.date = d.date
asof left join (select * from ranked where index_id = 'STLFSI4') as stl on d.date >= stl.date
where d.date >= date '{{ var("stress_rank_from") }}'
