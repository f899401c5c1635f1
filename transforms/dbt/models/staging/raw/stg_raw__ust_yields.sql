with ust_yields as (select * from {{ source('raw', 'ust_yields') }})

select
    'UST' as curve,
    series_id,
    tenor_years,
    date,
    yield_pct
from ust_yields
