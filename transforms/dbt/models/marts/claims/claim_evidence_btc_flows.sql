{{ config(tags=['after_measures']) }}
-- 2025 supply absorption: ETFs, treasury companies, issuance.
with flows_daily as (
    select * from {{ ref('fct_btc_flows_daily') }}
),

asset_daily as (
    select * from {{ ref('fct_asset_daily') }}
),

issuance as (
    select * from {{ ref('stg_raw__btc_issuance') }}
),

company_categories as (
    select * from {{ ref('treasury_companies') }}
),

holdings as (
    select * from {{ ref('stg_raw__treasury_holdings') }}
),

claims as (
    select * from {{ ref('claims') }}
),

-- 2025 supply absorption: each part, so the ledger can say how much of a claim the data accounts for.
flows_year as (
    select
        year(f.date) as year,
        sum(f.etf_net_flow_btc order by f.date) as etf_btc,
        sum(f.etf_net_flow_usd order by f.date) as etf_usd,
        sum(f.treasury_purchases_btc order by f.date) as treasury_btc,
        sum(f.strategy_purchases_btc order by f.date) as strategy_btc,
        sum(f.dat_purchases_btc order by f.date) as dat_btc,
        sum(f.miner_additions_btc order by f.date) as miner_btc,
        sum(f.treasury_purchases_btc * b.close order by f.date) as treasury_usd,
        sum(f.issuance_btc order by f.date) as issuance_btc,
        sum(f.issuance_btc order by f.date) filter (where i.method in ('supply_diff', 'block_heights'))
            as issuance_measured_btc,
        max(f.date) filter (where i.method in ('supply_diff', 'block_heights')) as issuance_measured_to,
        count(*) as n_days
    from flows_daily f
    left join asset_daily b on b.asset_id = 'BTC' and b.date = f.date
    left join issuance i on i.issuance_date = f.date
    group by all
),

treasury_companies as (
    select
        string_agg(distinct h.ticker, ', ' order by h.ticker) as tickers,
        (select coalesce(sum(in_kind_btc_2025), 0) from company_categories) as in_kind_btc
    from holdings h
),

btc_flows as (
    select
        c.claim_id,
        case c.series
            when 'etf_plus_treasury_btc' then y.etf_btc + y.treasury_btc
            when 'etf_plus_treasury_usd' then y.etf_usd + y.treasury_usd
            when 'issuance_btc' then y.issuance_btc
            when 'absorption_multiple' then (y.etf_btc + y.treasury_btc) / y.issuance_btc
        end as observed_value,
        case when c.series = 'etf_plus_treasury_btc' then y.etf_btc + y.treasury_btc - t.in_kind_btc end
            as alt_value,
        c.period_end as observed_on,
        printf(
            '%d: US spot ETFs %,.0f BTC (%s); Strategy %,.0f BTC; other treasury companies %,.0f BTC, of '
            || 'which %,.0f contributed in kind; together %,.0f BTC (%s), %,.0f bought in the market; miners '
            || 'added %,.0f more (mostly mined, not bought); companies in the data: %s; issuance %,.0f BTC '
            || '(%,.0f measured from supply to %s, the rest from the schedule); multiple %.2fx; '
            || 'mart_btc_buyers_2025 takes it apart', y.year, y.etf_btc, printf('$%.2fbn', y.etf_usd / 1e9),
            y.strategy_btc, y.dat_btc, t.in_kind_btc, y.etf_btc + y.treasury_btc,
            printf('$%.2fbn', (y.etf_usd + y.treasury_usd) / 1e9), y.etf_btc + y.treasury_btc - t.in_kind_btc,
            y.miner_btc, t.tickers, y.issuance_btc, y.issuance_measured_btc, y.issuance_measured_to,
            (y.etf_btc + y.treasury_btc) / y.issuance_btc
        ) as evidence,
        null as nearby
    from claims c
    cross join treasury_companies t
    left join flows_year y on y.year = year(c.period_end) and y.n_days >= 365
    where c.measure = 'btc_flows_2025'
)

select {{ claim_evidence_columns() }}, 'daily' as data_resolution from btc_flows
