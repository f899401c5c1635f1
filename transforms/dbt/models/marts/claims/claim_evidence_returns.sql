{{ config(tags=['after_measures']) }}
-- Returns on a stated day: close to close (return_1d), the intraday fall, and the day's rank in the sample.
with claims as (
    select * from {{ ref('claims') }}
),

prices as (
    select * from {{ ref('claim_prices') }}
),

price_coverage as (
    select asset_id, min(date) as data_from, max(date) as data_to from prices group by all
),

-- Returns: the stated day close to close; alternative, the intraday low against the previous close.
-- `nearby` is the largest move each way within three days, for when the article has the day wrong.
return_1d as (
    select
        c.claim_id,
        p.return_1d as observed_value,
        p.low / p.prev_close - 1 as alt_value,
        p.date as observed_on,
        concat_ws(
            '; ',
            printf(
                '%s close %s %.2f -> %s %.2f (%+.2f%%)', c.series, p.prev_date, p.prev_close, p.date, p.close,
                100 * p.return_1d
            ),
            case when p.low is not null then printf('intraday low %.2f', p.low) end
        ) as evidence,
        (select
            case
                when c.claimed_value < 0
                    then printf(
                        'largest fall within 3 days: %+.2f%% on %s', 100 * min(n.return_1d),
                        arg_min(n.date, n.return_1d)
                    )
                else printf(
                    'largest rise within 3 days: %+.2f%% on %s', 100 * max(n.return_1d),
                    arg_max(n.date, n.return_1d)
                )
            end
        from prices n
        where n.asset_id = c.series and n.date between c.period_end - 3 and c.period_end + 3) as nearby
    from claims c
    left join prices p on p.asset_id = c.series and p.date = c.period_end
    where c.measure = 'return_1d'
),

intraday_fall as (
    select
        c.claim_id,
        p.low / p.high - 1 as observed_value,
        p.return_1d as alt_value,
        p.date as observed_on,
        printf(
            '%s %s high %.2f, low %.2f; close %.2f after %.2f', c.series, p.date, p.high, p.low, p.close,
            p.prev_close
        ) as evidence,
        null as nearby
    from claims c
    left join prices p on p.asset_id = c.series and p.date = c.period_end
    where c.measure = 'intraday_fall'
),

return_rank as (
    select
        c.claim_id,
        r.worst_rank as observed_value,
        null::double as alt_value,
        r.date as observed_on,
        printf(
            '%s return %+.2f%% on %s ranks %d of %d days from %s to %s', c.series, 100 * r.return_1d, r.date,
            r.worst_rank, r.n_days, cov.data_from, cov.data_to
        ) as evidence,
        null as nearby
    from claims c
    left join (
        select
            asset_id, date, return_1d, count(*) over (partition by asset_id) as n_days,
            rank() over (partition by asset_id order by return_1d) as worst_rank
        from prices where return_1d is not null
    ) r on r.asset_id = c.series and r.date = c.period_end
    left join price_coverage cov on cov.asset_id = c.series
    where c.measure = 'return_rank_in_sample'
)

select {{ claim_evidence_columns() }}, 'daily' as data_resolution from return_1d
union all
select {{ claim_evidence_columns() }}, 'daily' as data_resolution from intraday_fall
union all
select {{ claim_evidence_columns() }}, 'daily' as data_resolution from return_rank
