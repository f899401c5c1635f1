"""What a dbt model's materialization shows in the Dagster UI: rows, date range, typed and documented columns,
and a small markdown table of what it holds (for marts, the view an analyst would ask for first)."""

from functools import cache

import dagster as dg

from orchestration.lib.dbt_runner import dbt_manifest_json
from orchestration.lib.tables import date_column_of
from orchestration.settings import CRASH_WINDOW

# Per mart, the preview query: the rows that tell its story, not just the last five.
PREVIEWS = {
    "dim_asset": "select asset_id, name, asset_class, liquidity_tier from marts.dim_asset "
    "order by asset_class, asset_id",
    "fct_asset_daily": """
        select asset_id, max(date) as last_date, arg_max(close, date) as last_close,
               min(drawdown_from_peak) filter (where date between '{crash_start}' and '{crash_end}')
                   as worst_drawdown_crash,
               min(return_1d) filter (where date between '{crash_start}' and '{crash_end}') as worst_day_crash
        from marts.fct_asset_daily group by all order by worst_day_crash""",
    "fct_rates_daily": """
        select curve, tenor_years, arg_max(yield_pct, date) as last_yield, max(date) as last_date,
               arg_max(yield_pct, date) filter (where date <= '2026-01-20')
                   as yield_2026_01_20
        from marts.fct_rates_daily group by all order by curve, tenor_years""",
    "fct_btc_flows_daily": """
        select year(date) as year, round(sum(etf_net_flow_usd) / 1e9, 2) as etf_usd_bn,
               round(sum(etf_net_flow_btc)) as etf_btc, round(sum(treasury_purchases_btc)) as treasury_btc,
               round(sum(issuance_btc)) as issuance_btc,
               round((sum(etf_net_flow_btc) + sum(treasury_purchases_btc)) / sum(issuance_btc), 2)
                   as absorption_multiple
        from marts.fct_btc_flows_daily group by all order by year""",
    "fct_liquidations_daily": """
        select date, sum(total_usd) as total_usd, sum(long_usd) / sum(total_usd) as long_share
        from marts.fct_liquidations_daily group by all order by total_usd desc limit 10""",
    "mart_liquidity_stress_daily": """
        select date, round(stress_index, 2) as stress_index, regime, n_classes_down_2sigma,
               round(turbulence, 1) as turbulence, round(absorption_ratio, 3) as absorption_ratio
        from marts.mart_liquidity_stress_daily where stress_index is not null
        order by stress_index desc limit 10""",
    "mart_stress_comparison": """
        select date, round(stress_index_pct, 2) as ours_pct, regime, round(ofr_fsi_pct, 2) as ofr_fsi_pct,
               round(vix_pct, 2) as vix_pct, round(hy_oas_pct, 2) as hy_oas_pct
        from marts.mart_stress_comparison where date between '{crash_start}' and '{crash_end}' order by date""",
    "mart_claims": """
        select verdict, count(*) as claims, string_agg(claim_id, ', ' order by claim_id) as claim_ids
        from marts.mart_claims group by all order by verdict""",
}


@cache
def column_descriptions() -> dict[tuple[str, str], dict[str, str]]:
    manifest = dbt_manifest_json()
    return {
        (node["schema"], node["name"]): {c: v.get("description", "") for c, v in node["columns"].items()}
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed")
    } | {
        # The raw tables are dbt sources: their columns are described in staging/raw/_raw__sources.yml.
        (node["schema"], node["name"]): {c: v.get("description", "") for c, v in node["columns"].items()}
        for node in manifest.get("sources", {}).values()
    }


def describe_model(conn, schema: str, name: str) -> dict:
    columns = conn.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, name],
    ).fetchall()
    if not columns:
        return {}
    docs = column_descriptions().get((schema, name), {})
    meta = {
        "dagster/row_count": conn.execute(f'select count(*) from "{schema}"."{name}"').fetchall()[0][0],
        "dagster/column_schema": dg.TableSchema(
            columns=[dg.TableColumn(c, t, description=docs.get(c) or None) for c, t in columns]
        ),
        "table": f"{schema}.{name}",
    }
    date_col = date_column_of([c for c, _ in columns])
    if date_col:
        first, last = conn.execute(f'select min({date_col}), max({date_col}) from "{schema}"."{name}"').fetchall()[0]
        meta["first_date"], meta["last_date"] = str(first), str(last)
    if schema == "marts":
        sql = PREVIEWS.get(name) or f'select * from "{schema}"."{name}" limit 10'
        sql = sql.replace("{crash_start}", CRASH_WINDOW[0]).replace("{crash_end}", CRASH_WINDOW[1])
        meta["preview"] = dg.MetadataValue.md(conn.sql(sql).df().to_markdown(index=False, floatfmt=".4g"))
    return meta
