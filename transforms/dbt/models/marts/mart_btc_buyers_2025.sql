-- The article's 744k (ETFs and treasury companies bought in 2025) taken apart: every buyer the data can name,
-- BTC contributed in kind, miners and issuance, and the share of the claimed figure each reading covers.
with claims as (select * from {{ ref('stg_raw__claims') }}),

company_categories as (select * from {{ ref('treasury_companies') }}),

flows_daily as (select * from {{ ref('fct_btc_flows_daily') }}),

companies as (
    select category, in_kind_btc_2025 from company_categories
),

flows as (
    select
        sum(etf_net_flow_btc order by date) as etf,
        sum(strategy_purchases_btc order by date) as strategy,
        sum(dat_purchases_btc order by date) as dats,
        sum(miner_additions_btc order by date) as miners,
        sum(issuance_btc order by date) as mined,
        count(*) as n_days
    from flows_daily
    where year(date) = 2025
),

in_kind as (
    select coalesce(sum(in_kind_btc_2025), 0) as btc from companies where category = 'dat'
),

claimed as (
    select max(claimed_value) filter (where claim_id = 'btc_bought_744k_2025') as bought
    from claims
),

items as (
    select
        1 as position, 'part' as kind, 'US spot ETFs' as item, f.etf as btc,
        'Farside net flows, each day at that day''s BTC close' as basis
    from flows f
    union all
    select
        2 as position,
        'part' as kind,
        'Strategy' as item,
        f.strategy as btc,
        'change in holdings per SEC 8-K filings' as basis
    from flows f
    union all
    select
        3 as position, 'part' as kind, 'other treasury companies' as item, f.dats as btc,
        'change in stated holdings, end-2024 to end-2025 (treasury_companies seed: category dat)' as basis
    from flows f
    union all
    select
        4 as position, 'part' as kind, 'of which contributed in kind' as item, k.btc,
        'BTC contributed for shares rather than bought in the market (Twenty One, Bitcoin Standard Treasury, '
        || 'Next Technology)' as basis
    from in_kind k
    union all
    select
        5 as position, 'part' as kind, 'miners' as item, f.miners as btc,
        'change in listed miners'' holdings: mostly coins they mined, already part of issuance' as basis
    from flows f
    union all
    select
        6 as position, 'supply' as kind, 'protocol issuance (mined)' as item, f.mined as btc,
        'supply change, then the block-subsidy schedule' as basis
    from flows f
    union all
    select
        7 as position,
        'reading' as kind,
        'ETFs + Strategy' as item,
        f.etf + f.strategy as btc,
        'the two largest buyers' as basis
    from flows f
    union all
    select
        8 as position,
        'reading' as kind,
        'ETFs + treasury companies' as item,
        f.etf + f.strategy + f.dats as btc,
        'the claim''s scope: ETFs and DATs, in kind included' as basis
    from flows f
    union all
    select
        9 as position,
        'reading' as kind,
        'ETFs + treasury companies, bought in the market' as item,
        f.etf + f.strategy + f.dats - k.btc as btc,
        'the claim''s scope without BTC contributed in kind' as basis
    from flows f
    cross join in_kind k
    union all
    select
        10 as position,
        'reading' as kind,
        'ETFs + treasury companies + miners' as item,
        f.etf + f.strategy + f.dats + f.miners as btc,
        'every holder the data names (miners'' coins mostly mined, not bought)' as basis
    from flows f
)

select
    i.position,
    i.kind,
    i.item,
    i.btc,
    i.btc / c.bought as share_of_claim,
    c.bought as claimed_btc,
    i.basis
from items i
cross join claimed c
cross join flows f
where f.n_days >= 365
