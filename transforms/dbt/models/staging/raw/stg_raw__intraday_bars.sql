with intraday_bars as (select * from {{ source('raw', 'intraday_bars') }})

select
    asset_id,
    source,
    basis,
    bar_start,
    cast(timezone('UTC', bar_start) as date) as utc_date,
    -- FX and metals trade from 17:00 to 17:00 New York: a bar after 17:00 belongs to the next trading day.
    cast(timezone('America/New_York', bar_start) + interval 7 hour as date) as ny_trading_day,
    open,
    high,
    low,
    close,
    volume
from intraday_bars
