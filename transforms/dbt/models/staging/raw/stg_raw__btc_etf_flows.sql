with btc_etf_flows as (select * from {{ source('raw', 'btc_etf_flows') }})

select date, issuer, net_flow_usd_m
from btc_etf_flows
