-- Our stress index beside the published measures, each with its percentile, so a reader sees at once
-- whether ours saw what they missed (or not). Percentiles are point in time: each day's value is ranked
-- against the values of that series up to and including that day, never later ones (percent_rank over the
-- expanding sample: 0 = the lowest so far, 1 = the highest so far). All series are ranked over one common
-- window, the days on which our full index exists, so the comparison is between like samples.
-- Weekly STLFSI4 is taken as of its week.
with stress_daily as (
    select * from {{ ref('mart_liquidity_stress_daily') }}
),

stress_indices as (
    select * from {{ ref('stg_raw__stress_indices') }}
),

ours as (
    select
        date,
        stress_index,
        regime
    from stress_daily
    where stress_index is not null
),

window_start as (
    select min(date) as first_day from ours
),

published as (
    select
        s.index_id,
        s.date,
        s.value
    from stress_indices as s
    cross join window_start as w
    -- STLFSI4 is weekly: keep the week that covers the first day too.
    where s.date >= w.first_day - interval 7 day
),

series as (
    select
        'OURS' as index_id,
        date,
        stress_index as value
    from ours
    union all
    select
        index_id,
        date,
        value
    from published
),

ranked as (
    -- Rank among the values on or before the day: (how many earlier values are lower) / (count so far - 1),
    -- as a framed window (the rank of the day's value within the rows up to it), not a self-join: the work
    -- grows as n log n with the days, not n squared.
    select
        index_id,
        date,
        value,
        (
            rank(order by value) over (partition by index_id order by date rows unbounded preceding) - 1
        )::double
        / nullif(count(*) over (partition by index_id order by date rows unbounded preceding) - 1, 0) as pct
    from series
)

select
    o.date,
    o.stress_index,
    ours_ranked.pct as stress_index_pct,
    o.regime,
    ofr.value as ofr_fsi,
    ofr.pct as ofr_fsi_pct,
    stl.value as stlfsi4,
    stl.pct as stlfsi4_pct,
    stl.date as stlfsi4_week,
    vix.value as vix,
    vix.pct as vix_pct,
    hy.value as hy_oas,
    hy.pct as hy_oas_pct
from ours as o
inner join ranked as ours_ranked on ours_ranked.index_id = 'OURS' and ours_ranked.date = o.date
left join ranked as ofr on ofr.index_id = 'OFR_FSI' and ofr.date = o.date
left join ranked as vix on vix.index_id = 'VIXCLS' and vix.date = o.date
left join ranked as hy on hy.index_id = 'BAMLH0A0HYM2' and hy.date = o.date
asof left join (select * from ranked where index_id = 'STLFSI4') as stl on o.date >= stl.date
