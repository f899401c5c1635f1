select index_id, date as observation_date, value
from {{ source('raw', 'stress_indices') }}
