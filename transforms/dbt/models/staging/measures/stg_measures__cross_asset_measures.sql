{{ config(tags=['after_measures']) }}
-- The polars asset's cross-asset measures as the marts read them: one row per panel day, as written.
with measures as (
    select * from {{ source('measures', 'int_cross_asset_measures') }}
)

select * from measures
