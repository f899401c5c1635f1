{{ config(tags=['after_measures']) }}
-- Crypto liquidations summed over a window.
with liquidations_daily as (
    select * from {{ ref('fct_liquidations_daily') }}
),

claims as (
    select * from {{ ref('claims') }}
),

liquidations as (
    select
        c.claim_id,
        sum(l.total_usd order by l.date, l.coin) as observed_value,
        sum(l.long_usd order by l.date, l.coin)
        / nullif(sum(l.total_usd order by l.date, l.coin), 0) as alt_value,
        c.period_end as observed_on,
        printf(
            'liquidation data covers %s to %s; %d days of it fall in %s to %s',
            (select min(date) from liquidations_daily),
            (select max(date) from liquidations_daily),
            count(distinct l.date), c.period_start, c.period_end
        ) as evidence,
        null as nearby
    from claims c
    left join liquidations_daily l on l.date between c.period_start and c.period_end
    where c.measure = 'liquidations_usd'
    group by c.claim_id, c.period_start, c.period_end
)

select {{ claim_evidence_columns() }}, 'daily' as data_resolution from liquidations
