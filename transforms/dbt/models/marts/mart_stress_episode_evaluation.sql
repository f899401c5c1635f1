-- Each dated liquidity episode (seed liquidity_episodes) judged by each stress measure on one basis: the
-- highest point-in-time percentile the measure reached inside the episode's window (mart_stress_comparison:
-- each day ranked against that measure's values from the first day of our full index up to that day, never
-- later ones). An episode "reached" a measure's alarm when that percentile is >= 0.95. An episode before
-- our index exists has no day to judge and says so (days_judged = 0, reached_95 null): it is not a miss.
with comparison as (
    select * from {{ ref('mart_stress_comparison') }}
),

episodes as (
    select * from {{ ref('liquidity_episodes') }}
),

measures as (
    {{ stress_percentiles_long('comparison') }}
),

in_window as (
    select
        e.episode_id,
        m.index_id,
        m.date,
        m.pct
    from episodes as e
    inner join measures as m on m.date between e.start_date and e.end_date
    where m.pct is not null
),

peaks as (
    select
        episode_id,
        index_id,
        count(*) as days_judged,
        max(pct) as max_pct,
        arg_max(date, pct) as peak_date
    from in_window
    group by episode_id, index_id
),

episode_measures as (
    select
        e.episode_id,
        e.name as episode_name,
        e.start_date,
        e.end_date,
        e.classes,
        e.crypto_or_carry,
        e.source,
        i.index_id
    from episodes as e
    cross join (select distinct index_id from measures) as i
)

select
    em.episode_id,
    em.index_id,
    em.episode_name,
    em.start_date,
    em.end_date,
    em.classes,
    em.crypto_or_carry,
    -- The formula was fixed before this evaluation; the two periods are reported apart all the same.
    case when year(em.start_date) <= 2021 then '2016-2021' else '2022-2026' end as period,
    coalesce(p.days_judged, 0) as days_judged,
    p.max_pct,
    p.peak_date,
    p.max_pct >= 0.95 as reached_95,
    em.source
from episode_measures as em
left join peaks as p on p.episode_id = em.episode_id and p.index_id = em.index_id
