with treasury_holdings as (select * from {{ source('raw', 'treasury_holdings') }})

select date, company, ticker, holdings_btc, source
from treasury_holdings
