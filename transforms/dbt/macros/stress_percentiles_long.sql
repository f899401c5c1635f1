{#- The point-in-time percentile of each stress measure in mart_stress_comparison, one row per (date, measure):
    the shape the episode evaluation and its scorecard judge. `comparison` names a CTE over that mart. -#}
{% macro stress_percentiles_long(comparison) %}
    select date, 'OURS' as index_id, stress_index_pct as pct from {{ comparison }}
    union all
    select date, 'OURS_EX_CRYPTO' as index_id, stress_index_ex_crypto_pct as pct from {{ comparison }}
    union all
    select date, 'OURS_BEFORE_RATES' as index_id, stress_index_before_rates_pct as pct from {{ comparison }}
    union all
    select date, 'OFR_FSI' as index_id, ofr_fsi_pct as pct from {{ comparison }}
    union all
    select date, 'STLFSI4' as index_id, stlfsi4_pct as pct from {{ comparison }}
    union all
    select date, 'VIXCLS' as index_id, vix_pct as pct from {{ comparison }}
    union all
    select date, 'BAMLH0A0HYM2' as index_id, hy_oas_pct as pct from {{ comparison }}
{% endmacro %}
