with jgb_yields as (select * from {{ source('raw', 'jgb_yields') }})

select
    'JGB' as curve,
    tenor_years,
    date,
    yield_pct
from jgb_yields
