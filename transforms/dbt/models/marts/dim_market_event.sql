-- The curated market events, each citing its source: what the report sets beside the price moves. The staging
-- view already has the mart's columns; the enforced contract (_marts__models.yml) names and types them.
with market_events as (select * from {{ ref('stg_raw__market_events') }})

select * from market_events
