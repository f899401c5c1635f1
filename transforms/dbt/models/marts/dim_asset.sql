select asset_id, name, asset_class, liquidity_tier, currency, unit, source
from {{ ref('asset_reference') }}
