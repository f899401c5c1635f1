-- Returns on each asset's own calendar: close to the previous available close (crypto every UTC day,
-- the rest on their exchange's business days), on the close chosen for the asset's clock.
with closes as (
    select * from {{ ref('int_asset_closes_selected') }}
)

select
    asset_id,
    date,
    close,
    close_basis,
    close / lag(close) over w - 1 as return_1d,
    ln(close / lag(close) over w) as log_return_1d
from closes
window w as (partition by asset_id order by date)
