-- Every daily price bar once per basis the warehouse holds, as the claims ledger judges them
-- (transforms/claims/engine.py): the chosen daily close of each series (fct_asset_daily) with its
-- source's open, high and low, under the series' own instrument and clock (seeds/price_bases.csv;
-- indices and single stocks are cash on the New York session); a second source that is another
-- instrument of the same thing (COMEX gold futures beside the LBMA fix); and New York days built
-- from the hourly spot bars (17:00 to 17:00 for metals and FX, midnight to midnight New York time
-- for crypto) where the hours cover the day. Crypto's standard day is the UTC day: its New York day
-- is kept with is_standard = false (shown, and judged only when the words name New York).
with assets as (select * from {{ ref('dim_asset') }}),

asset_daily as (select * from {{ ref('fct_asset_daily') }}),

prices as (select * from {{ ref('stg_raw__prices') }}),

price_bases as (select * from {{ ref('price_bases') }}),

hourly_bars as (select * from {{ ref('stg_raw__intraday_bars') }}),

daily as (
    select
        coalesce(price_bases.series, asset_daily.asset_id) as series,
        coalesce(price_bases.instrument, 'cash') as instrument,
        coalesce(price_bases.clock, 'ny') as clock,
        asset_daily.asset_id as source,
        asset_daily.date,
        prices.open,
        prices.high,
        prices.low,
        asset_daily.close,
        prices.volume,
        asset_daily.close_basis,
        true as is_standard
    from asset_daily
    inner join assets on asset_daily.asset_id = assets.asset_id
    left join price_bases on asset_daily.asset_id = price_bases.asset_id
    -- USD/JPY's New York close is the second source's bar: its range is that bar's too.
    left join prices
        on
            asset_daily.date = prices.date
            and prices.asset_id = case
                when asset_daily.close_basis = 'new_york_close' then 'USDJPY_NY' else asset_daily.asset_id
            end
    where price_bases.asset_id is not null or assets.second_source_of is null
),

spot_hours as (
    select
        asset_id as series,
        source,
        bar_start,
        open,
        high,
        low,
        close,
        source like 'binance%' as is_crypto,
        case
            when source like 'binance%' then cast(timezone('America/New_York', bar_start) as date)
            else ny_trading_day
        end as ny_day
    from hourly_bars
    where basis in ('spot_usdt', 'spot_cfd')
),

new_york_days as (
    select
        series,
        source,
        ny_day,
        is_crypto,
        arg_min(open, bar_start) as day_open,
        max(high) as day_high,
        min(low) as day_low,
        arg_max(close, bar_start) as day_close,
        count(*) as hours
    from spot_hours
    group by series, source, ny_day, is_crypto
),

complete_new_york_days as (
    select
        series,
        'spot' as instrument,
        'ny' as clock,
        source || ' hourly' as source,
        ny_day as date,
        day_open as open,
        day_high as high,
        day_low as low,
        day_close as close,
        cast(null as double) as volume,
        source || ' hourly' as close_basis,
        not is_crypto as is_standard
    from new_york_days
    -- A partial day is not a session: crypto needs 20 of its 24 hours, metals and FX 18 of their 23.
    where hours >= case when is_crypto then 20 else 18 end
)

select * from daily
union all
select * from complete_new_york_days
