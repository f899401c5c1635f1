select date as issuance_date, issuance_btc, method
from {{ source('raw', 'btc_issuance') }}
