{{ config(tags=['after_measures']) }}
-- Liquidity black-hole days in a window.
with stress_daily as (
    select * from {{ ref('mart_liquidity_stress_daily') }}
),

claims as (
    select * from {{ ref('claims') }}
),

black_hole as (
    select
        c.claim_id,
        count(s.date) filter (where s.regime = 'liquidity_black_hole') as observed_value,
        max(s.n_classes_down_2sigma) as alt_value,
        arg_max(s.date, s.stress_index) as observed_on,
        'regime by day: ' || string_agg(
            printf(
                '%s %s (%d classes down 2 sigma)', s.date, s.regime,
                s.n_classes_down_2sigma
            ), ', ' order by s.date
        ) as evidence,
        null as nearby
    from claims c
    left join stress_daily s on s.date between c.period_start and c.period_end
    where c.measure = 'black_hole_days'
    group by c.claim_id
)

select {{ claim_evidence_columns() }}, 'daily' as data_resolution from black_hole
