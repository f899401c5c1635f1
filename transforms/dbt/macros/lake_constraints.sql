{#-
    The marts' contracts on the lake: DuckLake has no PRIMARY KEY or UNIQUE constraint, so there the DDL keeps
    each column's type and NOT NULL and leaves the keys out. The keys still hold: every key has its dbt test
    (unique or unique_key_columns), which fails the build on a duplicate. On the embedded file the DDL is dbt's own.
-#}
{% macro duckdb__get_table_columns_and_constraints() -%}
    {%- if target.name != 'lake' -%}
        {{ return(table_columns_and_constraints()) }}
    {%- endif -%}
    {%- set columns = adapter.render_raw_columns_constraints(raw_columns=model['columns']) -%}
    {%- set model_constraints = adapter.render_raw_model_constraints(raw_constraints=model['constraints']) -%}
    {%- set kept = [] -%}
    {%- for c in model_constraints if not (c | lower).startswith('primary key') and not (c | lower).startswith('unique') -%}
        {%- do kept.append(c) -%}
    {%- endfor -%}
    (
    {% for c in columns -%}
      {{ c | replace(' primary key', '') | replace(' unique', '') }}{{ "," if not loop.last or kept }}
    {% endfor %}
    {% for c in kept -%}
      {{ c }}{{ "," if not loop.last }}
    {% endfor -%}
    )
{%- endmacro %}
