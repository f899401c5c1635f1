{#-
    What an incremental model refreshes: the days from the earliest day that the raw tables it reads changed
    since its own last build. A change is a batch the model has not read yet: a row of ops.batches (the
    warehouse's load record, one per batch and table, its loaded_at renewed whenever the batch is loaded again)
    that the model's record in ops.dbt_model_inputs lacks. Whatever days a batch covers, the earliest of them
    counts, so a late correction of an old day reaches the model as a new day does; a scheduled close, a
    backfill, an inbox file and a hand-run `dbt build` are all seen the same way. Each model writes its record
    in a post-hook, inside its own transaction, so the record is exactly what the build read.
    Raw and ops tables are named through api.Relation, not source(): the lineage of a model runs through its
    staging models, and the raw columns read here (_batch_id) are the loader's, not the data's.
-#}

{% macro warehouse_relation(schema, identifier) %}
    {{ return(relative_to_target(api.Relation.create(database=target.database, schema=schema, identifier=identifier))) }}
{% endmacro %}

{% macro create_model_inputs() %}
    create schema if not exists {{ warehouse_relation('ops', 'x').include(identifier=False) }};
    create table if not exists {{ warehouse_relation('ops', 'dbt_model_inputs') }} (
        model varchar, table_name varchar, batch_id varchar, loaded_at timestamptz
    )
{% endmacro %}

{#- inputs: {raw table: the SQL expression of a row's day}. The earliest day of any row of a batch the model (this
    one, or the one named: a dbt Python model asks through a view) has not read, as a scalar subquery; null when
    nothing changed. -#}
{% macro first_changed_day(inputs, model=none) %}
    (
        select min(changed_day) from (
            {%- for table, day in inputs.items() %}
            select min({{ day }}) as changed_day
            from {{ warehouse_relation('raw', table) }}
            where _batch_id in (
                select loaded.batch_id
                from {{ warehouse_relation('ops', 'batches') }} as loaded
                where loaded.table_name = 'raw.{{ table }}'
                    and not exists (
                        select 1 from {{ warehouse_relation('ops', 'dbt_model_inputs') }} as seen
                        where seen.model = '{{ model or this.identifier }}'
                            and seen.table_name = loaded.table_name
                            and seen.batch_id = loaded.batch_id
                            and seen.loaded_at = loaded.loaded_at
                    )
            )
            {%- if not loop.last %}
            union all
            {%- endif %}
            {%- endfor %}
        )
    )
{% endmacro %}

{#- The post-hook: the batches of these raw tables this build read. -#}
{% macro record_model_inputs(tables) %}
    delete from {{ warehouse_relation('ops', 'dbt_model_inputs') }} where model = '{{ this.identifier }}';
    insert into {{ warehouse_relation('ops', 'dbt_model_inputs') }}
    select '{{ this.identifier }}', table_name, batch_id, loaded_at
    from {{ warehouse_relation('ops', 'batches') }}
    where table_name in ({% for table in tables %}'raw.{{ table }}'{{ ", " if not loop.last }}{% endfor %})
{% endmacro %}

{#- dbt-duckdb stages a Python model's incremental rows in a table of its own (<model>__dbt_tmp<time>, in the
    main schema) and, in 1.11, does not drop it after the merge; a build killed mid-model leaves one too. Builds
    of one warehouse never overlap (one writer), so at the start and the end of a build any such table is a
    leftover: dropped here (on-run-start and on-run-end). -#}
{% macro drop_leftover_build_tables() %}
    {%- set statements = [] -%}
    {%- if execute -%}
        {%- set found = run_query(
            "select table_schema, table_name, table_type from information_schema.tables "
            ~ "where table_catalog = '" ~ target.database ~ "' and contains(table_name, '__dbt_tmp')"
        ) -%}
        {%- for row in found.rows -%}
            {%- set kind = 'view' if row[2] == 'VIEW' else 'table' -%}
            {%- do statements.append(
                'drop ' ~ kind ~ ' if exists ' ~ warehouse_relation(row[0], row[1])
            ) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ (statements | join(';\n')) if statements else 'select 1' }}
{% endmacro %}
