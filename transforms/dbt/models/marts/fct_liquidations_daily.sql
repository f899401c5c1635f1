select
    utc_date as date,
    coin,
    sum(long_usd) as long_usd,
    sum(short_usd) as short_usd,
    sum(long_usd + short_usd) as total_usd
from {{ ref('stg_raw__crypto_liquidations') }}
group by all
