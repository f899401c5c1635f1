-- Per stress measure and period: how many of the liquidity episodes it could judge reached its alarm (a
-- point-in-time percentile >= 0.95 inside the window: mart_stress_episode_evaluation), and its false alarms:
-- the share of the days it could judge outside every episode window on which it read >= 0.95.
with evaluation as (select * from {{ ref('mart_stress_episode_evaluation') }}),

comparison as (select * from {{ ref('mart_stress_comparison') }}),

episodes as (select * from {{ ref('liquidity_episodes') }}),

measures as (
    {{ stress_percentiles_long('comparison') }}
),

calm_days as (
    select
        m.index_id,
        case
            when year(m.date) <= {{ var('stress_training_last_year') }}
                then '2000-{{ var("stress_training_last_year") }}'
            else '{{ var("stress_training_last_year") + 1 }}-2026'
        end as period,
        m.pct
    from measures as m
    where
        m.pct is not null
        and not exists (select 1 from episodes as e where m.date between e.start_date and e.end_date)
),

periods as (
    select index_id, period, reached_95, crypto_or_carry, lead_sessions from evaluation where days_judged > 0
    union all
    select index_id, 'all' as period, reached_95, crypto_or_carry, lead_sessions
    from evaluation where days_judged > 0
),

hits as (
    select
        index_id,
        period,
        count(*) as episodes_judged,
        count_if(reached_95) as episodes_reached,
        count_if(crypto_or_carry) as crypto_or_carry_judged,
        count_if(crypto_or_carry and reached_95) as crypto_or_carry_reached,
        median(lead_sessions) as median_lead_sessions
    from periods
    group by index_id, period
),

alarms as (
    select index_id, period, count(*) as calm_days, count_if(pct >= 0.95) as calm_days_alarmed
    from calm_days
    group by index_id, period
    union all
    select index_id, 'all' as period, count(*) as calm_days, count_if(pct >= 0.95) as calm_days_alarmed
    from calm_days
    group by index_id
)

select
    h.index_id,
    h.period,
    h.episodes_judged::bigint as episodes_judged,
    h.episodes_reached::bigint as episodes_reached,
    h.episodes_reached::double / h.episodes_judged as share_reached,
    h.crypto_or_carry_judged::bigint as crypto_or_carry_judged,
    h.crypto_or_carry_reached::bigint as crypto_or_carry_reached,
    a.calm_days::bigint as calm_days,
    a.calm_days_alarmed::bigint as calm_days_alarmed,
    a.calm_days_alarmed::double / nullif(a.calm_days, 0) as false_alarm_share,
    h.median_lead_sessions::double as median_lead_sessions
from hits as h
left join alarms as a on a.index_id = h.index_id and a.period = h.period
