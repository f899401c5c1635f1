{{ config(tags=['after_measures']) }}
-- For every claim in the ledger, the value the warehouse observes on the claim's primary basis, the value on
-- the alternative basis where the data has both (close vs intraday, one day vs its neighbours), the evidence
-- (series, dates, values) and the coverage of the series used. One CTE per measure; claims whose measure is
-- `none` get an empty row, so every claim appears once.
with claims as (
    select * from {{ ref('claims') }}
),

prices as (
    select
        f.asset_id,
        f.date,
        f.close,
        f.return_1d,
        f.drawdown_from_peak,
        p.high,
        p.low,
        lag(f.close) over w as prev_close,
        lag(f.date) over w as prev_date,
        -- Intraday peak so far; a day without a high (close-only sources) counts its close.
        max(coalesce(p.high, f.close)) over (w rows between unbounded preceding and current row) as peak_high
    from {{ ref('fct_asset_daily') }} f
    left join {{ ref('stg_raw__prices') }} p on p.asset_id = f.asset_id and p.price_date = f.date
    window w as (partition by f.asset_id order by f.date)
),

price_coverage as (
    select asset_id, min(date) as data_from, max(date) as data_to from prices group by all
),

rates as (
    select curve || ':' || cast(cast(tenor_years as integer) as varchar) as series, date, yield_pct, change_bp_1d
    from {{ ref('fct_rates_daily') }}
),

rate_coverage as (
    select series, min(date) as data_from, max(date) as data_to from rates group by all
),

-- Returns: the stated day close to close; alternative, the intraday low against the previous close.
-- `nearby` is the largest move each way within three days, for when the article has the day wrong.
return_1d as (
    select
        c.claim_id,
        p.return_1d as observed_value,
        'close to close' as observed_basis,
        p.low / p.prev_close - 1 as alt_value,
        case when p.low is not null then 'intraday low against the previous close' end as alt_basis,
        p.date as observed_on,
        concat_ws('; ',
            printf('%s close %s %.2f -> %s %.2f (%+.2f%%)', c.series, p.prev_date, p.prev_close, p.date, p.close,
                   100 * p.return_1d),
            case when p.low is not null then printf('intraday low %.2f', p.low) end) as evidence,
        (select case when c.claimed_value < 0
                     then printf('largest fall within 3 days: %+.2f%% on %s', 100 * min(n.return_1d),
                                 arg_min(n.date, n.return_1d))
                     else printf('largest rise within 3 days: %+.2f%% on %s', 100 * max(n.return_1d),
                                 arg_max(n.date, n.return_1d)) end
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
        'intraday low against the intraday high' as observed_basis,
        p.return_1d as alt_value,
        'close to close' as alt_basis,
        p.date as observed_on,
        printf('%s %s high %.2f, low %.2f; close %.2f after %.2f', c.series, p.date, p.high, p.low, p.close,
               p.prev_close) as evidence,
        null as nearby
    from claims c
    left join prices p on p.asset_id = c.series and p.date = c.period_end
    where c.measure = 'intraday_fall'
),

-- Window measures over [period_start, period_end].
windows as (
    select
        c.claim_id,
        c.measure,
        c.series,
        c.claimed_value,
        min(p.low) as min_low,
        arg_min(p.date, p.low) as min_low_on,
        min(p.close) as min_close,
        arg_min(p.date, p.close) as min_close_on,
        max(p.high) as max_high,
        arg_max(p.date, p.high) as max_high_on,
        max(p.close) as max_close,
        arg_max(p.date, p.close) as max_close_on,
        arg_min(p.close, p.date) as first_close,
        min(p.date) as first_on,
        arg_max(p.close, p.date) as last_close,
        max(p.date) as last_on,
        avg(p.close) as avg_close,
        count(p.date) as n_days
    from claims c
    left join prices p on p.asset_id = c.series and p.date between c.period_start and c.period_end
    where c.measure in ('intraday_low', 'intraday_high', 'close_level', 'nearest_traded_price',
                        'period_rise_to_peak', 'period_change')
    group by all
),

window_measures as (
    select
        claim_id,
        case measure
            when 'intraday_low' then min_low
            when 'intraday_high' then max_high
            when 'close_level' then first_close
            when 'nearest_traded_price' then greatest(min_low, least(max_high, claimed_value))
            when 'period_rise_to_peak' then max_high / first_close - 1
            when 'period_change' then last_close / first_close - 1
        end as observed_value,
        case measure
            when 'intraday_low' then 'lowest intraday price in the window'
            when 'intraday_high' then 'highest intraday price in the window'
            when 'close_level' then 'close of the first session in the window'
            when 'nearest_traded_price' then 'nearest price to the figure inside the intraday ranges'
            when 'period_rise_to_peak' then 'first close to the highest intraday high'
            when 'period_change' then 'first close to the last close of the window'
        end as observed_basis,
        case measure
            when 'intraday_low' then min_close
            when 'intraday_high' then max_close
            when 'close_level' then avg_close
            when 'period_rise_to_peak' then max_close / first_close - 1
            when 'period_change' then min_close / first_close - 1
        end as alt_value,
        case measure
            when 'intraday_low' then 'lowest close in the window'
            when 'intraday_high' then 'highest close in the window'
            when 'close_level' then 'average close over the window'
            when 'period_rise_to_peak' then 'first close to the highest close'
            when 'period_change' then 'first close to the lowest close of the window'
        end as alt_basis,
        case measure
            when 'intraday_low' then min_low_on
            when 'intraday_high' then max_high_on
            when 'close_level' then first_on
            when 'period_rise_to_peak' then max_high_on
            when 'period_change' then last_on
        end as observed_on,
        case when n_days > 0 then printf(
            '%s over %d sessions: first close %.2f on %s, average close %.2f, high %.2f on %s, low %.2f on %s, '
            || 'highest close %.2f on %s, lowest close %.2f on %s',
            series, n_days, first_close, first_on, avg_close, max_high, max_high_on, min_low, min_low_on,
            max_close, max_close_on, min_close, min_close_on) end as evidence,
        null as nearby
    from windows
),

-- Peak to trough: the window's highest high, then the lowest low from that day to the window's end.
fall_from_peak as (
    select
        c.claim_id,
        min(p.low) filter (where p.date >= pk.peak_on) / pk.peak_high - 1 as observed_value,
        'highest intraday high to the lowest intraday low after it' as observed_basis,
        min(p.close) filter (where p.date >= pk.peak_close_on) / pk.peak_close - 1 as alt_value,
        'highest close to the lowest close after it' as alt_basis,
        arg_min(p.date, p.low) filter (where p.date >= pk.peak_on) as observed_on,
        printf('%s peak high %.2f on %s, lowest low after it %.2f on %s; peak close %.2f on %s, lowest close '
               || 'after it %.2f', c.series, pk.peak_high, pk.peak_on,
               min(p.low) filter (where p.date >= pk.peak_on), arg_min(p.date, p.low) filter (where p.date >= pk.peak_on),
               pk.peak_close, pk.peak_close_on, min(p.close) filter (where p.date >= pk.peak_close_on)) as evidence,
        null as nearby
    from claims c
    left join (
        select c2.claim_id, max(p2.high) as peak_high, arg_max(p2.date, p2.high) as peak_on,
               max(p2.close) as peak_close, arg_max(p2.date, p2.close) as peak_close_on
        from claims c2
        join prices p2 on p2.asset_id = c2.series and p2.date between c2.period_start and c2.period_end
        group by all
    ) pk using (claim_id)
    left join prices p on p.asset_id = c.series and p.date between c.period_start and c.period_end
    where c.measure = 'period_fall_from_peak'
    group by c.claim_id, c.series, pk.peak_high, pk.peak_on, pk.peak_close, pk.peak_close_on
),

drawdown as (
    select
        c.claim_id,
        p.low / p.peak_high - 1 as observed_value,
        'intraday low against the highest intraday high so far' as observed_basis,
        p.drawdown_from_peak as alt_value,
        'close against the highest close so far' as alt_basis,
        p.date as observed_on,
        printf('%s %s low %.2f, close %.2f; highest high so far %.2f; close drawdown %+.2f%%', c.series, p.date,
               p.low, p.close, p.peak_high, 100 * p.drawdown_from_peak) as evidence,
        null as nearby
    from claims c
    left join prices p on p.asset_id = c.series and p.date = c.period_end
    where c.measure = 'drawdown_from_peak'
),

return_rank as (
    select
        c.claim_id,
        r.worst_rank as observed_value,
        'rank of the close-to-close return among all the series'' days (1 = worst)' as observed_basis,
        null::double as alt_value,
        null as alt_basis,
        r.date as observed_on,
        printf('%s return %+.2f%% on %s ranks %d of %d days from %s to %s', c.series, 100 * r.return_1d, r.date,
               r.worst_rank, r.n_days, cov.data_from, cov.data_to) as evidence,
        null as nearby
    from claims c
    left join (
        select asset_id, date, return_1d, count(*) over (partition by asset_id) as n_days,
               rank() over (partition by asset_id order by return_1d) as worst_rank
        from prices where return_1d is not null
    ) r on r.asset_id = c.series and r.date = c.period_end
    left join price_coverage cov on cov.asset_id = c.series
    where c.measure = 'return_rank_in_sample'
),

yields as (
    select
        c.claim_id,
        case c.measure when 'yield_level' then r.yield_pct
                       when 'yield_change_bp' then r.change_bp_1d
                       when 'max_yield_before' then hist.max_yield end as observed_value,
        case c.measure when 'yield_level' then 'end-of-day yield'
                       when 'yield_change_bp' then 'change in end-of-day yield from the previous business day'
                       when 'max_yield_before' then 'highest end-of-day yield over the period' end as observed_basis,
        null::double as alt_value,
        null as alt_basis,
        coalesce(r.date, hist.max_on) as observed_on,
        concat_ws('; ',
            case when r.date is not null then printf('%s %s end of day %.3f%% (%+.1fbp on the day)', c.series, r.date,
                                                     r.yield_pct, r.change_bp_1d) end,
            case when hist.max_yield is not null then printf('highest close from %s to %s: %.3f%% on %s',
                                                              hist.data_from, c.period_end, hist.max_yield,
                                                              hist.max_on) end) as evidence,
        case c.measure
            when 'yield_level' then coalesce(
                (select printf('first close above %.3g%%: %s (%.3f%%)', c.claimed_value, arg_min(a.date, a.date),
                               arg_min(a.yield_pct, a.date))
                 from rates a where a.series = c.series and a.date >= c.period_end and a.yield_pct > c.claimed_value
                 having count(*) > 0),
                printf('no close above %.3g%% in the data to %s', c.claimed_value,
                       (select data_to from rate_coverage where series = c.series)))
            when 'yield_change_bp' then (
                select printf('largest one-day rise in the data: %+.1fbp on %s', max(a.change_bp_1d),
                              arg_max(a.date, a.change_bp_1d))
                from rates a where a.series = c.series)
        end as nearby
    from claims c
    left join rates r on r.series = c.series and r.date = c.period_end and c.measure <> 'max_yield_before'
    left join (
        select c3.claim_id, max(a.yield_pct) as max_yield, arg_max(a.date, a.yield_pct) as max_on,
               min(a.date) as data_from
        from claims c3 join rates a on a.series = c3.series and a.date between c3.period_start and c3.period_end
        where c3.measure = 'max_yield_before'
        group by all
    ) hist on hist.claim_id = c.claim_id
    where c.measure in ('yield_level', 'yield_change_bp', 'max_yield_before')
),

margins as (
    select
        c.claim_id,
        case c.measure when 'margin_before_pct' then m.margin_before_pct else m.margin_after_pct end
            as observed_value,
        'CME announcement (curated from public reporting)' as observed_basis,
        null::double as alt_value,
        null as alt_basis,
        m.announced_on as observed_on,
        printf('%s: %s %s margin %g%% -> %g%% of notional, announced %s, effective %s (%s)', m.change_id,
               m.exchange, m.contract, m.margin_before_pct, m.margin_after_pct, m.announced_on, m.effective_on,
               m.source) as evidence,
        null as nearby
    from claims c
    left join {{ ref('stg_raw__cme_margin_changes') }} m
        on m.contract_code = c.series and m.announced_on = c.period_end
    where c.measure in ('margin_before_pct', 'margin_after_pct')
),

liquidations as (
    select
        c.claim_id,
        sum(l.total_usd order by l.date, l.coin) as observed_value,
        'sum of long and short liquidations over the window, all coins' as observed_basis,
        sum(l.long_usd order by l.date, l.coin) / nullif(sum(l.total_usd order by l.date, l.coin), 0) as alt_value,
        'long share of the total' as alt_basis,
        c.period_end as observed_on,
        printf('liquidation data covers %s to %s; %d days of it fall in %s to %s',
               (select min(date) from {{ ref('fct_liquidations_daily') }}),
               (select max(date) from {{ ref('fct_liquidations_daily') }}),
               count(distinct l.date), c.period_start, c.period_end) as evidence,
        null as nearby
    from claims c
    left join {{ ref('fct_liquidations_daily') }} l on l.date between c.period_start and c.period_end
    where c.measure = 'liquidations_usd'
    group by c.claim_id, c.period_start, c.period_end
),

black_hole as (
    select
        c.claim_id,
        count(s.date) filter (where s.regime = 'liquidity_black_hole') as observed_value,
        'days in the window whose regime is liquidity_black_hole' as observed_basis,
        max(s.n_classes_down_2sigma) as alt_value,
        'most asset classes down 2 trailing sigma on one day' as alt_basis,
        arg_max(s.date, s.stress_index) as observed_on,
        'regime by day: ' || string_agg(printf('%s %s (%d classes down 2 sigma)', s.date, s.regime,
                                               s.n_classes_down_2sigma), ', ' order by s.date) as evidence,
        null as nearby
    from claims c
    left join {{ ref('mart_liquidity_stress_daily') }} s on s.date between c.period_start and c.period_end
    where c.measure = 'black_hole_days'
    group by c.claim_id
),

-- 2025 supply absorption: each part, so the ledger can say how much of a claim the data accounts for.
flows_year as (
    select
        year(f.date) as year,
        sum(f.etf_net_flow_btc order by f.date) as etf_btc,
        sum(f.etf_net_flow_usd order by f.date) as etf_usd,
        sum(f.treasury_purchases_btc order by f.date) as treasury_btc,
        sum(f.strategy_purchases_btc order by f.date) as strategy_btc,
        sum(f.dat_purchases_btc order by f.date) as dat_btc,
        sum(f.miner_additions_btc order by f.date) as miner_btc,
        sum(f.treasury_purchases_btc * b.close order by f.date) as treasury_usd,
        sum(f.issuance_btc order by f.date) as issuance_btc,
        sum(f.issuance_btc order by f.date) filter (where i.method in ('supply_diff', 'block_heights')) as issuance_measured_btc,
        max(f.date) filter (where i.method in ('supply_diff', 'block_heights')) as issuance_measured_to,
        count(*) as n_days
    from {{ ref('fct_btc_flows_daily') }} f
    left join {{ ref('fct_asset_daily') }} b on b.asset_id = 'BTC' and b.date = f.date
    left join {{ ref('stg_raw__btc_issuance') }} i on i.issuance_date = f.date
    group by all
),

treasury_companies as (
    select string_agg(distinct h.ticker, ', ' order by h.ticker) as tickers,
           (select coalesce(sum(in_kind_btc_2025), 0) from {{ ref('treasury_companies') }}) as in_kind_btc
    from {{ ref('stg_raw__treasury_holdings') }} h
),

btc_flows as (
    select
        c.claim_id,
        case c.series
            when 'etf_plus_treasury_btc' then y.etf_btc + y.treasury_btc
            when 'etf_plus_treasury_usd' then y.etf_usd + y.treasury_usd
            when 'issuance_btc' then y.issuance_btc
            when 'absorption_multiple' then (y.etf_btc + y.treasury_btc) / y.issuance_btc
        end as observed_value,
        case c.series
            when 'etf_plus_treasury_btc' then 'ETF net flows at each day''s BTC close + treasury holdings change'
            when 'etf_plus_treasury_usd' then 'ETF net flows in US$ + treasury purchases at the statement day''s close'
            when 'issuance_btc' then 'protocol issuance (supply change, then the block-subsidy schedule)'
            when 'absorption_multiple' then '(ETF + treasury BTC) / issuance'
        end as observed_basis,
        case when c.series = 'etf_plus_treasury_btc' then y.etf_btc + y.treasury_btc - t.in_kind_btc end
            as alt_value,
        case when c.series = 'etf_plus_treasury_btc' then 'bought in the market: without BTC contributed in kind'
        end as alt_basis,
        c.period_end as observed_on,
        printf('%d: US spot ETFs %,.0f BTC (%s); Strategy %,.0f BTC; other treasury companies %,.0f BTC, of '
               || 'which %,.0f contributed in kind; together %,.0f BTC (%s), %,.0f bought in the market; miners '
               || 'added %,.0f more (mostly mined, not bought); companies in the data: %s; issuance %,.0f BTC '
               || '(%,.0f measured from supply to %s, the rest from the schedule); multiple %.2fx; '
               || 'mart_btc_buyers_2025 takes it apart', y.year, y.etf_btc, printf('$%.2fbn', y.etf_usd / 1e9),
               y.strategy_btc, y.dat_btc, t.in_kind_btc, y.etf_btc + y.treasury_btc,
               printf('$%.2fbn', (y.etf_usd + y.treasury_usd) / 1e9), y.etf_btc + y.treasury_btc - t.in_kind_btc,
               y.miner_btc, t.tickers, y.issuance_btc, y.issuance_measured_btc, y.issuance_measured_to,
               (y.etf_btc + y.treasury_btc) / y.issuance_btc) as evidence,
        null as nearby
    from claims c
    cross join treasury_companies t
    left join flows_year y on y.year = year(c.period_end) and y.n_days >= 365
    where c.measure = 'btc_flows_2025'
),

-- A fall "in 24 hours" on hourly bars (spot quotes): the lowest hourly low in the claim's window against the
-- price 24 hours before it (the open of the hour a day earlier); beside it the largest fall between two hourly
-- closes 24 hours apart in the window, and the largest high-to-later-low fall within any 24 hours.
hourly as (
    select asset_id, bar_start, open, high, low, close
    from {{ ref('stg_raw__intraday_bars') }}
    where basis like 'spot%'
),

rolling_24h_low as (
    select c.claim_id, c.series, c.period_start, c.period_end, arg_min(h.bar_start, h.low) as low_at, min(h.low) as low
    from claims c
    join hourly h on h.asset_id = c.series
        and h.bar_start >= c.period_start and h.bar_start < c.period_end + interval 1 day
    where c.measure = 'rolling_24h_fall'
    group by all
),

rolling_24h_windows as (
    select
        l.claim_id,
        min(later.close / earlier.close - 1) filter (where earlier.bar_start = later.bar_start - interval 24 hour)
            as worst_close_to_close,
        min(later.low / earlier.high - 1) as worst_high_to_low
    from rolling_24h_low l
    join hourly later on later.asset_id = l.series
        and later.bar_start >= l.period_start and later.bar_start < l.period_end + interval 1 day
    join hourly earlier on earlier.asset_id = l.series
        and earlier.bar_start between later.bar_start - interval 24 hour and later.bar_start
    group by all
),

rolling_24h as (
    select
        l.claim_id,
        l.low / d.open - 1 as observed_value,
        'hourly bars: the lowest low in the window against the price 24 hours before it' as observed_basis,
        w.worst_close_to_close as alt_value,
        'hourly bars: the largest fall between two closes 24 hours apart' as alt_basis,
        cast(l.low_at as date) as observed_on,
        printf('%s hourly spot bars: low %.2f in the hour from %s UTC; 24 hours earlier the price was %.2f '
               || '(%+.2f%%); largest fall between closes 24 hours apart in the window %+.2f%%; largest fall from '
               || 'an hourly high to a low within 24 hours %+.2f%%', l.series, l.low, strftime(l.low_at, '%Y-%m-%d %H:%M'),
               d.open, 100 * (l.low / d.open - 1), 100 * w.worst_close_to_close, 100 * w.worst_high_to_low)
            as evidence,
        null as nearby,
        'hourly' as data_resolution
    from rolling_24h_low l
    join hourly d on d.asset_id = l.series and d.bar_start = l.low_at - interval 24 hour
    left join rolling_24h_windows w using (claim_id)
),

unsourced as (
    select claim_id, null::double as observed_value, null as observed_basis, null::double as alt_value,
           null as alt_basis, null::date as observed_on, null as evidence, null as nearby
    from claims where measure = 'none'
),

observed as (
    select * from return_1d
    union all by name select * from intraday_fall
    union all by name select * from window_measures
    union all by name select * from fall_from_peak
    union all by name select * from drawdown
    union all by name select * from return_rank
    union all by name select * from yields
    union all by name select * from margins
    union all by name select * from liquidations
    union all by name select * from black_hole
    union all by name select * from btc_flows
    union all by name select * from rolling_24h
    union all by name select * from unsourced
)

select
    o.claim_id,
    o.observed_value,
    o.observed_basis,
    o.alt_value,
    o.alt_basis,
    o.observed_on,
    o.evidence,
    o.nearby,
    -- The finest bars the evidence used: a claim on an intraday or rolling basis needs more than daily bars.
    coalesce(o.data_resolution, 'daily') as data_resolution,
    coalesce(pc.data_from, rc.data_from, case when c.measure = 'liquidations_usd' then lc.data_from end) as data_from,
    coalesce(pc.data_to, rc.data_to, case when c.measure = 'liquidations_usd' then lc.data_to end) as data_to,
    -- Treasury purchases cover only the companies loaded, so sums that include them are lower bounds.
    not (c.measure = 'btc_flows_2025' and c.series in ('etf_plus_treasury_btc', 'etf_plus_treasury_usd',
                                                         'absorption_multiple')) as coverage_complete
from observed o
join claims c using (claim_id)
left join price_coverage pc on pc.asset_id = c.series
left join rate_coverage rc on rc.series = c.series
cross join (select min(date) as data_from, max(date) as data_to from {{ ref('fct_liquidations_daily') }}) lc
