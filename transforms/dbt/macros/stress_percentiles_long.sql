{#- The point-in-time percentile of each stress measure in mart_stress_comparison, one row per (date, measure):
    the shape the episode evaluation and its scorecard judge. `comparison` names a CTE over that mart. -#}
{% macro stress_percentiles_long(comparison) %}
    {%- set percentiles = {
        'OURS': 'stress_index_pct',
        'OURS_EX_CRYPTO': 'stress_index_ex_crypto_pct',
        'OURS_BEFORE_RATES': 'stress_index_before_rates_pct',
        'OFR_FSI': 'ofr_fsi_pct',
        'STLFSI4': 'stlfsi4_pct',
        'VIXCLS': 'vix_pct',
        'BAMLH0A0HYM2': 'hy_oas_pct',
    } -%}
    {%- for index_id, column in percentiles.items() %}
    select date, '{{ index_id }}' as index_id, {{ column }} as pct from {{ comparison }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}
