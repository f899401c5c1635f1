-- One row per UTC day with bitcoin issuance. ETF flows are converted to BTC at that day's BTC close;
-- (the last close on or before the day, where the collected price history misses a day);
-- treasury purchases are the change in a company's stated holdings, booked on the statement date.
with days as (
    select issuance_date as date, issuance_btc from {{ ref('stg_raw__btc_issuance') }}
),
etf as (
    select flow_date as date, sum(net_flow_usd_m order by issuer) * 1e6 as etf_net_flow_usd
    from {{ ref('stg_raw__btc_etf_flows') }}
    group by all
),
btc as (
    select price_date as date, close from {{ ref('stg_raw__prices') }} where asset_id = 'BTC'
),
treasury as (
    select statement_date as date,
           sum(holdings_btc - lag_holdings order by ticker) as treasury_purchases_btc
    from (
        select statement_date, ticker, holdings_btc,
               lag(holdings_btc) over (partition by ticker order by statement_date) as lag_holdings
        from {{ ref('stg_raw__treasury_holdings') }}
    )
    where lag_holdings is not null
    group by all
),
daily as (
    select
        d.date,
        coalesce(e.etf_net_flow_usd, 0) as etf_net_flow_usd,
        coalesce(e.etf_net_flow_usd / b.close, 0) as etf_net_flow_btc,
        coalesce(t.treasury_purchases_btc, 0) as treasury_purchases_btc,
        d.issuance_btc
    from days d
    left join etf e on e.date = d.date
    asof left join btc b on d.date >= b.date
    left join treasury t on t.date = d.date
)
select
    *,
    sum(etf_net_flow_usd) over ytd as etf_net_flow_usd_ytd,
    sum(etf_net_flow_btc) over ytd as etf_net_flow_btc_ytd,
    sum(treasury_purchases_btc) over ytd as treasury_purchases_btc_ytd,
    sum(issuance_btc) over ytd as issuance_btc_ytd,
    -- Year to date, because a single day's ratio swings with one day's flows.
    (sum(etf_net_flow_btc) over ytd + sum(treasury_purchases_btc) over ytd) / sum(issuance_btc) over ytd
        as absorption_multiple
from daily
window ytd as (partition by year(date) order by date rows between unbounded preceding and current row)
