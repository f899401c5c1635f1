{{ config(tags=['after_measures']) }}
-- Claims no source in the warehouse can check: one empty row each.
with claims as (
    select * from {{ ref('claims') }}
),

unsourced as (
    select
        claim_id,
        null::double as observed_value,
        null::double as alt_value,
        null::date as observed_on,
        null as evidence,
        null as nearby
    from claims where measure = 'none'
)

select {{ claim_evidence_columns() }}, 'daily' as data_resolution from unsourced
