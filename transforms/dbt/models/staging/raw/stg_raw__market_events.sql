with market_events as (select * from {{ source('raw', 'market_events') }})

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
