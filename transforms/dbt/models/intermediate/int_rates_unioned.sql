-- UST and JGB yields in one long table, each on its own market's calendar (New York, Tokyo).
with ust as (select * from {{ ref('stg_raw__ust_yields') }}),

jgb as (select * from {{ ref('stg_raw__jgb_yields') }})

select curve, tenor_years, date, yield_pct from ust
union all
select curve, tenor_years, date, yield_pct from jgb
