{{ config(tags=['after_measures']) }}
-- Falls within 24 hours, on hourly bars.
with intraday_bars as (
    select * from {{ ref('stg_raw__intraday_bars') }}
),

claims as (
    select * from {{ ref('claims') }}
),

-- A fall "in 24 hours" on hourly bars (spot quotes): the lowest hourly low in the claim's window against
-- the price 24 hours before it (the open of the hour a day earlier); beside it the largest fall between two
-- hourly closes 24 hours apart in the window, and the largest high-to-later-low fall within any 24 hours.
hourly as (
    select asset_id, bar_start, open, high, low, close
    from intraday_bars
    where basis like 'spot%'
),

rolling_24h_low as (
    select
        c.claim_id,
        c.series,
        c.period_start,
        c.period_end,
        arg_min(h.bar_start, h.low) as low_at,
        min(h.low) as low
    from claims c
    join hourly h
        on
            h.asset_id = c.series
            and h.bar_start >= c.period_start and h.bar_start < c.period_end + interval 1 day
    where c.measure = 'rolling_24h_fall'
    group by all
),

rolling_24h_windows as (
    select
        l.claim_id,
        min(later.close / earlier.close - 1) filter (
            where earlier.bar_start = later.bar_start - interval 24 hour
        )
            as worst_close_to_close,
        min(later.low / earlier.high - 1) as worst_high_to_low
    from rolling_24h_low l
    join hourly later
        on
            later.asset_id = l.series
            and later.bar_start >= l.period_start and later.bar_start < l.period_end + interval 1 day
    join hourly earlier
        on
            earlier.asset_id = l.series
            and earlier.bar_start between later.bar_start - interval 24 hour and later.bar_start
    group by all
),

rolling_24h as (
    select
        l.claim_id,
        l.low / d.open - 1 as observed_value,
        w.worst_close_to_close as alt_value,
        cast(l.low_at as date) as observed_on,
        printf(
            '%s hourly spot bars: low %.2f in the hour from %s UTC; 24 hours earlier the price was %.2f '
            || '(%+.2f%%); largest fall between closes 24 hours apart in the window %+.2f%%; '
            || 'largest fall from '
            || 'an hourly high to a low within 24 hours %+.2f%%',
            l.series,
            l.low,
            strftime(l.low_at, '%Y-%m-%d %H:%M'),
            d.open, 100 * (l.low / d.open - 1), 100 * w.worst_close_to_close, 100 * w.worst_high_to_low)
            as evidence,
        null as nearby,
        'hourly' as data_resolution
    from rolling_24h_low l
    join hourly d on d.asset_id = l.series and d.bar_start = l.low_at - interval 24 hour
    left join rolling_24h_windows w using (claim_id)
)

select {{ claim_evidence_columns() }}, data_resolution from rolling_24h
