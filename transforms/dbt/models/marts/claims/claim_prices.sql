-- Each asset's daily history as the claims read it: the mart's close, return and drawdown, the source's
-- intraday high and low, the previous observed close and the intraday peak so far.
with asset_daily as (
    select * from {{ ref('fct_asset_daily') }}
),

prices as (
    select * from {{ ref('stg_raw__prices') }}
)

select
    f.asset_id,
    f.date,
    f.close,
    f.return_1d,
    f.drawdown_from_peak,
    p.high,
    p.low,
    lag(f.close) over w as prev_close,
    lag(f.date) over w as prev_date,
    -- Intraday peak so far; a day without a high (close-only sources) counts its close.
    max(coalesce(p.high, f.close)) over (w rows between unbounded preceding and current row) as peak_high
from asset_daily as f
left join prices as p on p.asset_id = f.asset_id and p.price_date = f.date
window w as (partition by f.asset_id order by f.date)
