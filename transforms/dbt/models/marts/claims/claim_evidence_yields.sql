{{ config(tags=['after_measures']) }}
-- Yields: level, one-day change and the highest level before a date.
with rates_daily as (
    select * from {{ ref('fct_rates_daily') }}
),

claims as (
    select * from {{ ref('claims') }}
),

rates as (
    select
        curve || ':' || cast(cast(tenor_years as integer) as varchar) as series, date, yield_pct, change_bp_1d
    from rates_daily
),

rate_coverage as (
    select series, min(date) as data_from, max(date) as data_to from rates group by all
),

yields as (
    select
        c.claim_id,
        case c.measure
            when 'yield_level' then r.yield_pct
            when 'yield_change_bp' then r.change_bp_1d
            when 'max_yield_before' then hist.max_yield
        end as observed_value,
        null::double as alt_value,
        coalesce(r.date, hist.max_on) as observed_on,
        concat_ws(
            '; ',
            case when r.date is not null then printf(
                '%s %s end of day %.3f%% (%+.1fbp on the day)', c.series, r.date,
                r.yield_pct, r.change_bp_1d
            ) end,
            case when hist.max_yield is not null then printf(
                'highest close from %s to %s: %.3f%% on %s',
                hist.data_from, c.period_end, hist.max_yield,
                hist.max_on
            ) end
        ) as evidence,
        case c.measure
            when 'yield_level'
                then coalesce(
                    (select
                        printf(
                            'first close above %.3g%%: %s (%.3f%%)', c.claimed_value, arg_min(a.date, a.date),
                            arg_min(a.yield_pct, a.date)
                        )
                    from rates a
                    where a.series = c.series and a.date >= c.period_end and a.yield_pct > c.claimed_value
                    having count(*) > 0),
                    printf(
                        'no close above %.3g%% in the data to %s', c.claimed_value,
                        (select data_to from rate_coverage where series = c.series)
                    )
                )
            when 'yield_change_bp' then (
                select
                    printf(
                        'largest one-day rise in the data: %+.1fbp on %s', max(a.change_bp_1d),
                        arg_max(a.date, a.change_bp_1d)
                    )
                from rates a where a.series = c.series
            )
        end as nearby
    from claims c
    left join rates r on r.series = c.series and r.date = c.period_end and c.measure <> 'max_yield_before'
    left join (
        select
            c3.claim_id, max(a.yield_pct) as max_yield, arg_max(a.date, a.yield_pct) as max_on,
            min(a.date) as data_from
        from claims c3
        join rates a on a.series = c3.series and a.date between c3.period_start and c3.period_end
        where c3.measure = 'max_yield_before'
        group by all
    ) hist on hist.claim_id = c.claim_id
    where c.measure in ('yield_level', 'yield_change_bp', 'max_yield_before')
)

select {{ claim_evidence_columns() }}, 'daily' as data_resolution from yields
