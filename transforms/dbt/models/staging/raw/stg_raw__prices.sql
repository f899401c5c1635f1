select asset_id, date as price_date, open, high, low, close, volume
from {{ source('raw', 'prices') }}
