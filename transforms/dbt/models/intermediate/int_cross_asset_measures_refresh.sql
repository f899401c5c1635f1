-- The first day the cross-asset measures (int_cross_asset_measures, a dbt Python model, which cannot call
-- a macro) recompute: a week before the first day a batch of their inputs that they have not read holds
-- (a day's USD/JPY close can be Yahoo's next stamp); null when nothing changed. Read by the model during
-- its own build. It reads the raw tables' load record, not their rows, so dbt (and Dagster) are told which
-- inputs it follows:
-- depends_on: {{ ref('stg_raw__prices') }}
-- depends_on: {{ ref('stg_raw__ust_yields') }}
-- depends_on: {{ ref('stg_raw__jgb_yields') }}
select
    'int_cross_asset_measures' as model_name,
    {{ first_changed_day(
        {'prices': 'date', 'ust_yields': 'date', 'jgb_yields': 'date'}, model='int_cross_asset_measures'
    ) }} - interval {{ var('restamp_days') }} day as first_day
