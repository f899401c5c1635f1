with claims as (select * from {{ source('raw', 'claims') }})

select
    article,
    claim_id,
    measure,
    series,
    period_start,
    period_end,
    claimed_text,
    claimed_value,
    unit,
    wording_rule
from claims
