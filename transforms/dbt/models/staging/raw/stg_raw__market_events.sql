select
    event_id,
    event_date,
    timing,
    category,
    title,
    assets,
    description,
    source
from {{ source('raw', 'market_events') }}
