with prices as (select * from {{ source('raw', 'prices') }})

select asset_id, date, open, high, low, close, volume
from prices
