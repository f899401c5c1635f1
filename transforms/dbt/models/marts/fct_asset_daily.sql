-- Incremental: a refresh recomputes the days from the first day the raw prices changed since the last build
-- (macros/incremental_refresh.sql), less a week, because a day's USD/JPY close can be Yahoo's next stamp
-- (int_asset_closes_selected). Its inputs start 400 calendar days before that: the rolling windows need 250
-- observations (about 365 days of an exchange calendar, with a month of holes to spare); the running peak
-- carries on from the table's own rows before the refresh. `dbt build --full-refresh` rebuilds it whole.
{{ config(materialized='incremental', unique_key=['asset_id', 'date'],
          post_hook="{{ record_model_inputs(['prices']) }}") }}

with assets as (select * from {{ ref('dim_asset') }}),

selected_closes as (select * from {{ ref('int_asset_closes_selected') }}),

{% if is_incremental() %}
refresh as (
    select {{ first_changed_day({'prices': 'date'}) }} - interval {{ var('restamp_days') }} day as first_day
),

earlier_peaks as (
    select
        asset_id,
        max(close) as peak_close
    from {{ this }}
    where date < (select first_day from refresh)
    group by asset_id
),
{% endif %}

closes as (
    select * from selected_closes
    {% if is_incremental() %}
        where date >= (select first_day - interval 400 day from refresh)
    {% endif %}
),

-- Returns on each asset's own calendar: close to the previous available close (crypto every UTC day, the rest
-- on their exchange's business days).
returns as (
    select
        asset_id,
        date,
        close,
        close_basis,
        close / lag(close) over by_date - 1 as return_1d,
        ln(close / lag(close) over by_date) as log_return_1d
    from closes
    window by_date as (partition by asset_id order by date)
),

asset as (
    select asset_id, asset_class from assets
),

computed as (
    select
        r.date,
        r.asset_id,
        r.close,
        r.close_basis,
        r.return_1d,
        r.log_return_1d,
        {% if is_incremental() %}
            greatest(max(r.close) over running, coalesce(p.peak_close, r.close)) as running_peak,
        {% else %}
            max(r.close) over running as running_peak,
        {% endif %}
        -- Annualised by the asset's own trading days a year: 365 for crypto, 252 for the rest.
        case
            when count(r.log_return_1d) over last_20 = 20
                then
                    stddev_samp(r.log_return_1d) over last_20
                    * sqrt(case when a.asset_class = 'crypto' then 365 else 252 end)
        end as realized_vol_20d,
        -- Against the 250 observations before the day, so the day's own move does not dampen its score.
        case
            when count(r.return_1d) over prior_250 >= 60
                then
                    (r.return_1d - avg(r.return_1d) over prior_250)
                    / nullif(stddev_samp(r.return_1d) over prior_250, 0)
        end as zscore_return_1d
    from returns as r
    inner join asset as a on r.asset_id = a.asset_id
    {% if is_incremental() %}
        left join earlier_peaks as p on r.asset_id = p.asset_id
    {% endif %}
    window
        running as (
            partition by r.asset_id order by r.date rows between unbounded preceding and current row
        ),
        last_20 as (partition by r.asset_id order by r.date rows between 19 preceding and current row),
        prior_250 as (partition by r.asset_id order by r.date rows between 250 preceding and 1 preceding)
)

select
    date,
    asset_id,
    close,
    close_basis,
    return_1d,
    log_return_1d,
    running_peak,
    close / running_peak - 1 as drawdown_from_peak,
    realized_vol_20d,
    zscore_return_1d
from computed
{% if is_incremental() %}
    where date >= (select first_day from refresh)
{% endif %}
