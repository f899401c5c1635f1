-- The cross-asset panel on one calendar: US business days (the dates the Nasdaq Composite closed).
-- The clock: a value belongs to panel day D only if the asset closed on D in its own market's day: New York
-- closes on D; Tokyo and London close earlier on D; crypto's UTC day D closes at 00:00 UTC on D+1, i.e.
-- 19:00/20:00 New York on D, after the US close. Nothing is carried: an asset that did not close on D has no
-- close and no return on D (a missing value is missing, never a zero return).
-- A return runs from the asset's previous observed close to this one and spans `return_sessions` of the
-- asset's trading sessions: crypto trades every calendar day, so its Monday return spans 3 (Friday to
-- Monday); other assets span the panel days since their previous close (2 after a day their market was
-- shut). `log_return_per_session` divides by the square root of that span so that z-scores and matrix
-- measures compare like with like. Returns spanning more than 4 sessions (a hole in the data) are left out.
-- Incremental: a refresh rewrites the days from a week before the first day a price batch it has not read
-- holds (macros/incremental_refresh.sql; a day's USD/JPY close can be Yahoo's next stamp). A return needs the
-- previous close within 4 sessions, so 31 days of closes before that are read: an older previous close gives
-- no return, in a refresh as in a full build.
{{ config(materialized='incremental', unique_key=['date', 'asset_id'],
          post_hook="{{ record_model_inputs(['prices']) }}") }}

with prices as (select * from {{ ref('stg_raw__prices') }}),

asset_reference as (select * from {{ ref('asset_reference') }}),

selected_closes as (select * from {{ ref('int_asset_closes_selected') }}),

{% if is_incremental() %}
refresh as (
    select {{ first_changed_day({'prices': 'date'}) }} - interval {{ var('restamp_days') }} day as first_day
),
{% endif %}

closes as (
    select * from selected_closes
    {% if is_incremental() %}
        where date >= (select first_day - interval 31 day from refresh)
    {% endif %}
),

calendar as (
    select distinct date
    from prices
    where asset_id = 'IXIC'
    {% if is_incremental() %}
        and date >= (select first_day - interval 31 day from refresh)
    {% endif %}
),

panel_assets as (
    select asset_id, asset_class from asset_reference where in_stress_panel
),

grid as (
    select
        c.date,
        a.asset_id,
        a.asset_class,
        row_number() over (partition by a.asset_id order by c.date) as panel_day
    from calendar as c cross join panel_assets as a
),

observed as (
    select
        g.date,
        g.asset_id,
        g.asset_class,
        g.panel_day,
        p.close
    from grid as g
    left join closes as p
        on p.asset_id = g.asset_id and p.date = g.date
),

with_previous as (
    select
        *,
        last_value(case when close is not null then close end ignore nulls) over prior as previous_close,
        last_value(case when close is not null then date end ignore nulls) over prior as previous_date,
        last_value(case when close is not null then panel_day end ignore nulls)
            over prior
            as previous_panel_day
    from observed
    window
        prior as (partition by asset_id order by date rows between unbounded preceding and 1 preceding)
),

spans as (
    select
        *,
        case
            when asset_class = 'crypto' then date_diff('day', previous_date, date)
            else panel_day - previous_panel_day
        end as sessions
    from with_previous
)

select
    date,
    asset_id,
    asset_class,
    close,
    case when close is not null then date end as close_date,
    case when close is not null and sessions <= 4 then sessions end as return_sessions,
    case when close is not null and sessions <= 4 then ln(close / previous_close) end as log_return_1d,
    case
        when close is not null and sessions <= 4 then ln(close / previous_close) / sqrt(sessions)
    end as log_return_per_session
from spans
{% if is_incremental() %}
    where date >= (select first_day from refresh)
{% endif %}
