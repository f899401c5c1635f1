select date as flow_date, issuer, net_flow_usd_m
from {{ source('raw', 'btc_etf_flows') }}
