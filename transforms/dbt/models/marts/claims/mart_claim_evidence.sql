{{ config(tags=['after_measures']) }}
-- For every claim in the ledger, the value the warehouse observes on the claim's primary basis, the value on
-- the alternative basis where the data has both, the evidence and the coverage of the series used: one row
-- per claim, from the one evidence model of its measure family (claims with measure `none` get an empty row).
with claim_evidence_returns as (
    select * from {{ ref('claim_evidence_returns') }}
),

claim_evidence_price_windows as (
    select * from {{ ref('claim_evidence_price_windows') }}
),

claim_evidence_falls as (
    select * from {{ ref('claim_evidence_falls') }}
),

claim_evidence_yields as (
    select * from {{ ref('claim_evidence_yields') }}
),

claim_evidence_margins as (
    select * from {{ ref('claim_evidence_margins') }}
),

claim_evidence_liquidations as (
    select * from {{ ref('claim_evidence_liquidations') }}
),

claim_evidence_black_holes as (
    select * from {{ ref('claim_evidence_black_holes') }}
),

claim_evidence_btc_flows as (
    select * from {{ ref('claim_evidence_btc_flows') }}
),

claim_evidence_rolling_24h as (
    select * from {{ ref('claim_evidence_rolling_24h') }}
),

claim_evidence_unsourced as (
    select * from {{ ref('claim_evidence_unsourced') }}
),

measure_bases as (
    select * from {{ ref('claim_measure_bases') }}
),

claim_prices as (
    select * from {{ ref('claim_prices') }}
),

rates_daily as (
    select * from {{ ref('fct_rates_daily') }}
),

liquidations_daily as (
    select * from {{ ref('fct_liquidations_daily') }}
),

claims as (
    select * from {{ ref('claims') }}
),

evidence as (
    select * from claim_evidence_returns
    union all by name
    select * from claim_evidence_price_windows
    union all by name
    select * from claim_evidence_falls
    union all by name
    select * from claim_evidence_yields
    union all by name
    select * from claim_evidence_margins
    union all by name
    select * from claim_evidence_liquidations
    union all by name
    select * from claim_evidence_black_holes
    union all by name
    select * from claim_evidence_btc_flows
    union all by name
    select * from claim_evidence_rolling_24h
    union all by name
    select * from claim_evidence_unsourced
),

-- What each measure's values mean: one label per measure (per series for the flow sums), kept in a seed.
bases as (
    select measure, series, observed_basis, alt_basis from measure_bases
),

price_coverage as (
    select asset_id, min(date) as data_from, max(date) as data_to
    from claim_prices
    group by all
),

rate_coverage as (
    select
        curve || ':' || cast(cast(tenor_years as integer) as varchar) as series,
        min(date) as data_from, max(date) as data_to
    from rates_daily
    group by all
),

liquidation_coverage as (
    select min(date) as data_from, max(date) as data_to from liquidations_daily
)

select
    e.claim_id,
    e.observed_value,
    coalesce(bs.observed_basis, b.observed_basis) as observed_basis,
    e.alt_value,
    case when e.alt_value is not null then coalesce(bs.alt_basis, b.alt_basis) end as alt_basis,
    e.observed_on,
    e.evidence,
    e.nearby,
    -- The finest bars the evidence used: a claim on an intraday or rolling basis needs more than daily bars.
    e.data_resolution,
    coalesce(pc.data_from, rc.data_from, case when c.measure = 'liquidations_usd' then lc.data_from end)
        as data_from,
    coalesce(pc.data_to, rc.data_to, case when c.measure = 'liquidations_usd' then lc.data_to end) as data_to,
    -- Treasury purchases cover only the companies loaded, so sums that include them are lower bounds.
    not(c.measure = 'btc_flows_2025' and c.series in (
        'etf_plus_treasury_btc', 'etf_plus_treasury_usd',
        'absorption_multiple'
    )) as coverage_complete
from evidence e
join claims c using (claim_id)
left join bases b on b.measure = c.measure and b.series is null
left join bases bs on bs.measure = c.measure and bs.series = c.series
left join price_coverage pc on pc.asset_id = c.series
left join rate_coverage rc on rc.series = c.series
cross join liquidation_coverage lc
