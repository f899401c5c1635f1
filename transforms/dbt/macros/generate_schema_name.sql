{#- Use the layer's schema as is (staging, intermediate, marts) instead of dbt's "<target>_<custom>". -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name if custom_schema_name else target.schema }}
{%- endmacro %}
