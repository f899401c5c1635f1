-- The curated market events, each citing its source: what the report sets beside the price moves.
with market_events as (
    select * from {{ ref('stg_raw__market_events') }}
)

select
    event_id,
    event_date,
    timing,
    category,
    title,
    assets,
    description,
    source
from market_events
