with assets as (
    select * from {{ ref('dim_asset') }}
),

returns as (
    select * from {{ ref('int_asset_returns_computed') }}
),

asset as (
    select asset_id, asset_class from assets
)

select
    r.date,
    r.asset_id,
    r.close,
    r.close_basis,
    r.return_1d,
    r.log_return_1d,
    max(r.close) over running as running_peak,
    r.close / max(r.close) over running - 1 as drawdown_from_peak,
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
from returns r
join asset a using (asset_id)
window
    running as (
        partition by r.asset_id order by r.date rows between unbounded preceding and current row
    ),
    last_20 as (partition by r.asset_id order by r.date rows between 19 preceding and current row),
    prior_250 as (partition by r.asset_id order by r.date rows between 250 preceding and 1 preceding)
