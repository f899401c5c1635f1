select date as statement_date, company, ticker, holdings_btc, source
from {{ source('raw', 'treasury_holdings') }}
