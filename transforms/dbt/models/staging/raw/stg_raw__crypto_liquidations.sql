with crypto_liquidations as (select * from {{ source('raw', 'crypto_liquidations') }})

select coin, bar_start, cast(timezone('UTC', bar_start) as date) as date, long_usd, short_usd
from crypto_liquidations
