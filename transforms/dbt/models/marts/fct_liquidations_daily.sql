with liquidations as (select * from {{ ref('stg_raw__crypto_liquidations') }})

select
    date,
    coin,
    sum(long_usd order by bar_start) as long_usd,
    sum(short_usd order by bar_start) as short_usd,
    sum(long_usd + short_usd order by bar_start) as total_usd
from liquidations
group by all
