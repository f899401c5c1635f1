{{ config(tags=['after_measures']) }}
-- Levels and moves over a window of sessions: intraday extremes, closes, the nearest traded price,
-- the rise to the peak and the change over the window.
with claims as (
    select * from {{ ref('claims') }}
),

prices as (
    select * from {{ ref('claim_prices') }}
),

-- Window measures over [period_start, period_end].
windows as (
    select
        c.claim_id,
        c.measure,
        c.series,
        c.claimed_value,
        min(p.low) as min_low,
        arg_min(p.date, p.low) as min_low_on,
        min(p.close) as min_close,
        arg_min(p.date, p.close) as min_close_on,
        max(p.high) as max_high,
        arg_max(p.date, p.high) as max_high_on,
        max(p.close) as max_close,
        arg_max(p.date, p.close) as max_close_on,
        arg_min(p.close, p.date) as first_close,
        min(p.date) as first_on,
        arg_max(p.close, p.date) as last_close,
        max(p.date) as last_on,
        avg(p.close) as avg_close,
        count(p.date) as n_days
    from claims c
    left join prices p on p.asset_id = c.series and p.date between c.period_start and c.period_end
    where
        c.measure in (
            'intraday_low', 'intraday_high', 'close_level', 'nearest_traded_price',
            'period_rise_to_peak', 'period_change'
        )
    group by all
),

window_measures as (
    select
        claim_id,
        case measure
            when 'intraday_low' then min_low
            when 'intraday_high' then max_high
            when 'close_level' then first_close
            when 'nearest_traded_price' then greatest(min_low, least(max_high, claimed_value))
            when 'period_rise_to_peak' then max_high / first_close - 1
            when 'period_change' then last_close / first_close - 1
        end as observed_value,
        case measure
            when 'intraday_low' then min_close
            when 'intraday_high' then max_close
            when 'close_level' then avg_close
            when 'period_rise_to_peak' then max_close / first_close - 1
            when 'period_change' then min_close / first_close - 1
        end as alt_value,
        case measure
            when 'intraday_low' then min_low_on
            when 'intraday_high' then max_high_on
            when 'close_level' then first_on
            when 'period_rise_to_peak' then max_high_on
            when 'period_change' then last_on
        end as observed_on,
        case when n_days > 0 then printf(
            '%s over %d sessions: first close %.2f on %s, average close %.2f, high %.2f on %s, '
            || 'low %.2f on %s, '
            || 'highest close %.2f on %s, lowest close %.2f on %s',
            series, n_days, first_close, first_on, avg_close, max_high, max_high_on, min_low, min_low_on,
            max_close, max_close_on, min_close, min_close_on
        ) end as evidence,
        null as nearby
    from windows
)

select {{ claim_evidence_columns() }}, 'daily' as data_resolution from window_measures
