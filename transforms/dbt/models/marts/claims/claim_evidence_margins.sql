{{ config(tags=['after_measures']) }}
-- CME margin changes before and after a notice.
with margin_changes as (
    select * from {{ ref('stg_raw__cme_margin_changes') }}
),

claims as (
    select * from {{ ref('claims') }}
),

margins as (
    select
        c.claim_id,
        case c.measure when 'margin_before_pct' then m.margin_before_pct else m.margin_after_pct end
            as observed_value,
        null::double as alt_value,
        m.announced_on as observed_on,
        printf(
            '%s: %s %s margin %g%% -> %g%% of notional, announced %s, effective %s (%s)', m.change_id,
            m.exchange, m.contract, m.margin_before_pct, m.margin_after_pct, m.announced_on, m.effective_on,
            m.source
        ) as evidence,
        null as nearby
    from claims c
    left join margin_changes m
        on m.contract_code = c.series and m.announced_on = c.period_end
    where c.measure in ('margin_before_pct', 'margin_after_pct')
)

select {{ claim_evidence_columns() }}, 'daily' as data_resolution from margins
