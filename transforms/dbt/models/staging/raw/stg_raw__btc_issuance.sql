with btc_issuance as (select * from {{ source('raw', 'btc_issuance') }})

select date, issuance_btc, method
from btc_issuance
