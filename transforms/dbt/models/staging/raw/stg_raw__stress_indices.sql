with stress_indices as (select * from {{ source('raw', 'stress_indices') }})

select index_id, date, value
from stress_indices
