-- One row per UTC day with bitcoin issuance. ETF flows are converted to BTC at that day's BTC close (the
-- full UTC-day close every mart uses, int_asset_closes_selected; the last close on or before the day, where
-- the collected price history misses a day);
-- treasury purchases are the change in a company's stated holdings, booked on the statement date (no
-- statement that day: no change booked). Treasury companies are Strategy and the other DATs; miners are kept
-- apart.
-- Incremental: the year-to-date sums run from 1 January, so a refresh recomputes the whole year of the first
-- day any input changed since the last build (macros/incremental_refresh.sql), and every year after it.
-- `dbt build --full-refresh` rebuilds it whole.
{{ config(materialized='incremental', unique_key=['date'],
          post_hook="{{ record_model_inputs(['btc_issuance', 'btc_etf_flows', 'treasury_holdings',
                                             'prices']) }}") }}

with issuance as (select * from {{ ref('stg_raw__btc_issuance') }}),

etf_flows as (select * from {{ ref('stg_raw__btc_etf_flows') }}),

closes as (select * from {{ ref('int_asset_closes_selected') }}),

holdings as (select * from {{ ref('stg_raw__treasury_holdings') }}),

company_categories as (select * from {{ ref('treasury_companies') }}),

{% if is_incremental() %}
refresh as (
    select date_trunc('year', {{ first_changed_day({
        'btc_issuance': 'date', 'btc_etf_flows': 'date', 'treasury_holdings': 'date', 'prices': 'date'
    }) }})::date as first_day
),
{% endif %}

days as (
    select date, issuance_btc from issuance
    {% if is_incremental() %}
        where date >= (select first_day from refresh)
    {% endif %}
),

etf as (
    select date, sum(net_flow_usd_m order by issuer) * 1e6 as etf_net_flow_usd
    from etf_flows
    group by all
),

btc as (
    select date, close from closes where asset_id = 'BTC'
),

-- Each company's change in stated holdings, by its category (treasury_companies seed): Strategy, the other
-- treasury companies ("DATs"), and miners, whose additions are mostly coins they mined themselves.
changes as (
    select
        h.date, h.ticker, c.category,
        h.holdings_btc
        - lag(h.holdings_btc) over (partition by h.ticker order by h.date) as change_btc
    from holdings h
    left join company_categories c on c.ticker = h.ticker
),

treasury as (
    select
        date,
        sum(change_btc order by ticker) filter (where category = 'strategy') as strategy_purchases_btc,
        sum(change_btc order by ticker) filter (where category = 'dat') as dat_purchases_btc,
        sum(change_btc order by ticker) filter (where category = 'miner') as miner_additions_btc
    from changes
    where change_btc is not null
    group by all
),

daily as (
    select
        d.date,
        coalesce(e.etf_net_flow_usd, 0) as etf_net_flow_usd,
        coalesce(e.etf_net_flow_usd / b.close, 0) as etf_net_flow_btc,
        coalesce(t.strategy_purchases_btc, 0) + coalesce(t.dat_purchases_btc, 0) as treasury_purchases_btc,
        coalesce(t.strategy_purchases_btc, 0) as strategy_purchases_btc,
        coalesce(t.dat_purchases_btc, 0) as dat_purchases_btc,
        coalesce(t.miner_additions_btc, 0) as miner_additions_btc,
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
