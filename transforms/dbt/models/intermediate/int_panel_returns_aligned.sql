-- The cross-asset panel on one calendar. Tokyo, New York and 24/7 crypto close at different times, so
-- daily returns across them are not simultaneous. We align everything to US business days (the dates the
-- Nasdaq Composite closed): each asset's close is its last close on or before that date (crypto: the
-- close of that UTC day, i.e. 7pm New York in winter), carried at most 4 days. Returns are close to close
-- on this calendar, so crypto's weekend moves land on Monday.
with calendar as (
    select distinct price_date as panel_date
    from {{ ref('stg_raw__prices') }}
    where asset_id = 'IXIC'
),
panel_assets as (
    select asset_id, asset_class from {{ ref('asset_reference') }} where in_stress_panel
),
grid as (
    select c.panel_date, a.asset_id, a.asset_class from calendar c cross join panel_assets a
),
asof_close as (
    select g.panel_date, g.asset_id, g.asset_class, p.close, p.price_date as close_date
    from grid g
    asof left join {{ ref('stg_raw__prices') }} p
        on p.asset_id = g.asset_id and g.panel_date >= p.price_date
)
select
    panel_date,
    asset_id,
    asset_class,
    case when date_diff('day', close_date, panel_date) <= 4 then close end as close,
    close_date,
    ln(close / lag(close) over (partition by asset_id order by panel_date)) as log_return_1d
from asof_close
