-- Incremental: a refresh recomputes the days from the first day the raw yields changed since the last build
-- (macros/incremental_refresh.sql); a day-on-day change needs the curve's previous observation, read from the
-- year before it (only a tenor silent for a year would miss it; the table is small, so a year costs little).
-- `dbt build --full-refresh` rebuilds it whole.
{{ config(materialized='incremental', unique_key=['curve', 'tenor_years', 'date'],
          post_hook="{{ record_model_inputs(['ust_yields', 'jgb_yields']) }}") }}

with rates_unioned as (select * from {{ ref('int_rates_unioned') }}),

{% if is_incremental() %}
refresh as (
    select {{ first_changed_day({'ust_yields': 'date', 'jgb_yields': 'date'}) }} as first_day
),
{% endif %}

rates as (
    select curve, tenor_years, date, yield_pct from rates_unioned
    {% if is_incremental() %}
        where date >= (select first_day - interval 366 day from refresh)
    {% endif %}
),

spreads as (
    -- Same calendar date on both legs; a Tokyo or New York holiday leaves the spread out that day.
    select 'UST10_JGB10' as curve, 10.0 as tenor_years, u.date, u.yield_pct - j.yield_pct as yield_pct
    from rates u join rates j on j.date = u.date and j.curve = 'JGB' and j.tenor_years = 10
    where u.curve = 'UST' and u.tenor_years = 10
    union all
    select 'JGB40_JGB10' as curve, 40.0 as tenor_years, l.date, l.yield_pct - s.yield_pct as yield_pct
    from rates l join rates s on s.date = l.date and s.curve = 'JGB' and s.tenor_years = 10
    where l.curve = 'JGB' and l.tenor_years = 40
),

all_rows as (
    select * from rates
    union all
    select * from spreads
),

changes as (
    select
        date,
        curve,
        tenor_years,
        yield_pct,
        (yield_pct - lag(yield_pct) over (partition by curve, tenor_years order by date))
        * 100 as change_bp_1d
    from all_rows
)

select * from changes
{% if is_incremental() %}
    where date >= (select first_day from refresh)
{% endif %}
