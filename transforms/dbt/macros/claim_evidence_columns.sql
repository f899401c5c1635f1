{#- The columns every claim-evidence model returns, typed alike so their union and
    contracts hold. Each basis's label is not here: it comes from the seed claim_measure_bases. -#}
{% macro claim_evidence_columns() %}
    claim_id::varchar as claim_id,
    observed_value::double as observed_value,
    alt_value::double as alt_value,
    observed_on::date as observed_on,
    evidence::varchar as evidence,
    nearby::varchar as nearby
{%- endmacro %}
