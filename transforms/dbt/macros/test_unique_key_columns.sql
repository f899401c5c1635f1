{#- A composite key is unique: no two rows share all of its columns. Unlike `unique` on a concatenated
    string, a null part does not hide a duplicate (pair it with not_null on each key column). -#}
{% test unique_key_columns(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n_rows
from {{ model }}
group by all
having count(*) > 1
{% endtest %}
