select 'UST' as curve, tenor_years, date as rate_date, yield_pct
from {{ source('raw', 'ust_yields') }}
union all
select 'JGB' as curve, tenor_years, date as rate_date, yield_pct
from {{ source('raw', 'jgb_yields') }}
