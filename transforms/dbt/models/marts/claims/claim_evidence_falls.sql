{{ config(tags=['after_measures']) }}
-- Falls: peak to trough inside a window, and the drawdown from the highest price so far.
with claims as (
    select * from {{ ref('claims') }}
),

prices as (
    select * from {{ ref('claim_prices') }}
),

-- Peak to trough: the window's highest high, then the lowest low from that day to the window's end.
fall_from_peak as (
    select
        c.claim_id,
        min(p.low) filter (where p.date >= pk.peak_on) / pk.peak_high - 1 as observed_value,
        min(p.close) filter (where p.date >= pk.peak_close_on) / pk.peak_close - 1 as alt_value,
        arg_min(p.date, p.low) filter (where p.date >= pk.peak_on) as observed_on,
        printf(
            '%s peak high %.2f on %s, lowest low after it %.2f on %s; peak close %.2f on %s, lowest close '
            || 'after it %.2f', c.series, pk.peak_high, pk.peak_on,
            min(p.low) filter (where p.date >= pk.peak_on),
            arg_min(p.date, p.low) filter (where p.date >= pk.peak_on),
            pk.peak_close, pk.peak_close_on, min(p.close) filter (where p.date >= pk.peak_close_on)
        ) as evidence,
        null as nearby
    from claims c
    left join (
        select
            c2.claim_id, max(p2.high) as peak_high, arg_max(p2.date, p2.high) as peak_on,
            max(p2.close) as peak_close, arg_max(p2.date, p2.close) as peak_close_on
        from claims c2
        join prices p2 on p2.asset_id = c2.series and p2.date between c2.period_start and c2.period_end
        group by all
    ) pk using (claim_id)
    left join prices p on p.asset_id = c.series and p.date between c.period_start and c.period_end
    where c.measure = 'period_fall_from_peak'
    group by c.claim_id, c.series, pk.peak_high, pk.peak_on, pk.peak_close, pk.peak_close_on
),

drawdown as (
    select
        c.claim_id,
        p.low / p.peak_high - 1 as observed_value,
        p.drawdown_from_peak as alt_value,
        p.date as observed_on,
        printf(
            '%s %s low %.2f, close %.2f; highest high so far %.2f; close drawdown %+.2f%%', c.series, p.date,
            p.low, p.close, p.peak_high, 100 * p.drawdown_from_peak
        ) as evidence,
        null as nearby
    from claims c
    left join prices p on p.asset_id = c.series and p.date = c.period_end
    where c.measure = 'drawdown_from_peak'
)

select {{ claim_evidence_columns() }}, 'daily' as data_resolution from fall_from_peak
union all
select {{ claim_evidence_columns() }}, 'daily' as data_resolution from drawdown
