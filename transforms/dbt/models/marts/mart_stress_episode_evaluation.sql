-- Each dated liquidity episode (seed liquidity_episodes) judged by each stress measure on one basis: the
-- highest point-in-time percentile the measure reached inside the episode's window (mart_stress_comparison:
-- each day ranked against that measure's values from 2000 up to that day, never later ones, once it holds a
-- year of values). An episode "reached" a measure's alarm when that percentile is >= 0.95. The lead: how
-- many of the measure's own sessions before the episode's first day it first read >= 0.90, looking back 20
-- sessions (0 on the first day, negative when only after it began, null when never in the window). An
-- episode before a measure has a percentile has no day to judge and says so (days_judged = 0, reached_95
-- null): not a miss.
-- Periods: the training period of the pre-registration (to var('stress_training_last_year')) and the test
-- period after it, by the episode's first day.
with comparison as (select * from {{ ref('mart_stress_comparison') }}),

episodes as (select * from {{ ref('liquidity_episodes') }}),

measures as (
    {{ stress_percentiles_long('comparison') }}
),

sessions as (
    -- Each measure's judged days, numbered: the lead counts them.
    select
        index_id,
        date,
        pct,
        row_number() over (partition by index_id order by date) as session
    from measures
    where pct is not null
),

in_window as (
    select
        e.episode_id,
        m.index_id,
        m.date,
        m.pct
    from episodes as e
    inner join sessions as m on m.date between e.start_date and e.end_date
),

peaks as (
    -- The peak's day is the first day the window reached its maximum: a new high ranks 1.0 on every day it
    -- recurs, and arg_max would pick one of the tied days at random (it differed between two builds).
    select
        episode_id,
        index_id,
        count(*) as days_judged,
        max(pct) as max_pct,
        min(date) filter (where pct = max_pct_in_window) as peak_date
    from (
        select
            *,
            max(pct) over (partition by episode_id, index_id) as max_pct_in_window
        from in_window
    )
    group by episode_id, index_id
),

first_sessions as (
    select
        e.episode_id,
        s.index_id,
        min(s.session) filter (where s.date >= e.start_date) as first_session,
        max(s.session) filter (where s.date <= e.end_date) as last_session
    from episodes as e
    cross join sessions as s
    group by e.episode_id, s.index_id
),

leads as (
    select
        f.episode_id,
        f.index_id,
        f.first_session - min(s.session) as lead_sessions
    from first_sessions as f
    inner join sessions as s
        on
            s.index_id = f.index_id
            and s.session between f.first_session - 20 and f.last_session
            and s.pct >= 0.90
    group by f.episode_id, f.index_id, f.first_session
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
    case
        when year(em.start_date) <= {{ var('stress_training_last_year') }}
            then '2000-{{ var("stress_training_last_year") }}'
        else '{{ var("stress_training_last_year") + 1 }}-2026'
    end as period,
    coalesce(p.days_judged, 0) as days_judged,
    p.max_pct,
    p.peak_date,
    p.max_pct >= 0.95 as reached_95,
    case when p.days_judged > 0 then l.lead_sessions end as lead_sessions,
    em.source
from episode_measures as em
left join peaks as p on p.episode_id = em.episode_id and p.index_id = em.index_id
left join leads as l on l.episode_id = em.episode_id and l.index_id = em.index_id
