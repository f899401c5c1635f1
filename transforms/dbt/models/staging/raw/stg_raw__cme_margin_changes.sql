-- The CME contract code ('SI (silver)' -> 'SI') is what claims and reports refer to.
with cme_margin_changes as (select * from {{ source('raw', 'cme_margin_changes') }})

select
    change_id,
    announced_on,
    effective_on,
    exchange,
    split_part(contract, ' ', 1) as contract_code,
    contract,
    margin_basis,
    margin_before_pct,
    margin_after_pct,
    note,
    source
from cme_margin_changes
