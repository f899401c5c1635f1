with asset_reference as (select * from {{ ref('asset_reference') }})

select asset_id, name, asset_class, liquidity_tier, currency, unit, source, second_source_of
from asset_reference
