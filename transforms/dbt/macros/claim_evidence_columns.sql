{#- The columns every claim-evidence model returns, typed alike so their union and contracts hold. -#}
{% macro claim_evidence_columns() %}
    claim_id::varchar as claim_id,
    observed_value::double as observed_value,
    observed_basis::varchar as observed_basis,
    alt_value::double as alt_value,
    alt_basis::varchar as alt_basis,
    observed_on::date as observed_on,
    evidence::varchar as evidence,
    nearby::varchar as nearby
{%- endmacro %}
