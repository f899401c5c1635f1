{#-
    ref() and source() without the database part, when it is the target's own (dbt's documented `builtins`
    override). DuckDB stores a view's SQL as written and binds unqualified names in the view's own catalog, so a
    view reads its own file (or lake) under whatever name it is attached as: a copy of the warehouse under another
    file name, the published copy, an analyst's `attach ... as w`. Qualified with the build's catalog name, every
    view of such a copy failed with 'Catalog "liquidity" does not exist' (duckdb 1.5). On the lake (target
    `lake`) names stay qualified: dbt's connection there is an in-memory DuckDB with the lake attached, and every
    reader attaches it under the same name, `lake` (orchestration/lib/lake.py).
-#}
{% macro ref() %}
    {%- set version = kwargs.get('version') or kwargs.get('v') -%}
    {%- if (varargs | length) == 1 -%}
        {%- set relation = builtins.ref(varargs[0], version=version) -%}
    {%- else -%}
        {%- set relation = builtins.ref(varargs[0], varargs[1], version=version) -%}
    {%- endif -%}
    {{ return(relative_to_target(relation)) }}
{% endmacro %}

{% macro source(source_name, table_name) %}
    {{ return(relative_to_target(builtins.source(source_name, table_name))) }}
{% endmacro %}

{% macro relative_to_target(relation) %}
    {%- if target.name != 'lake' and relation.database == target.database -%}
        {{ return(relation.include(database=False)) }}
    {%- endif -%}
    {{ return(relation) }}
{% endmacro %}
