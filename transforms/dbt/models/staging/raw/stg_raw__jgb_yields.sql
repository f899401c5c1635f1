select
    'JGB' as curve,
    tenor_years,
    date as rate_date,
    yield_pct
from {{ source('raw', 'jgb_yields') }}
