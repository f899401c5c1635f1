{{ config(tags=['after_measures']) }}
-- The claims ledger: each claim's bounds from its wording rule, the observed value and a verdict.
-- A claim is `unverifiable` whenever the data cannot decide it (no source, no data for the day, history
-- too short, or a partial sum that falls short); it is never `confirmed` by default.
with claims as (
    select * from {{ ref('claims') }}
),

rules as (
    select * from {{ ref('claim_wording_rules') }}
),

evidence as (
    select * from {{ ref('mart_claim_evidence') }}
),

bounded as (
    select
        c.*,
        r.comparator,
        r.rule as wording_rule_text,
        case r.tolerance_kind
            when 'last_digit' then c.stated_precision * r.tolerance
            -- a range: the half-width, so the bounds are the range's two ends
            when 'half_range' then c.stated_precision * r.tolerance
            when 'relative' then abs(c.claimed_value) * r.tolerance
            else 0
        end as tolerance,
        e.observed_value,
        e.observed_basis,
        e.alt_value,
        e.alt_basis,
        e.observed_on,
        e.evidence,
        e.nearby,
        coalesce(e.data_resolution, 'daily') as data_resolution,
        e.data_from,
        e.data_to,
        coalesce(e.coverage_complete, true) as coverage_complete
    from claims c
    join rules r using (wording_rule)
    left join evidence e using (claim_id)
),

limits as (
    select
        *,
        -- Rounded so that '17%' gives exactly -0.18..-0.16, not -0.18000000000000002.
        round(case comparator
            when 'within' then claimed_value - tolerance
            when 'within_below' then claimed_value - tolerance
            when 'beyond' then case when claimed_value >= 0 then claimed_value end
            when 'at_least' then claimed_value
            when 'above' then claimed_value
        end, 12) as accepted_min,
        round(case comparator
            when 'within' then claimed_value + tolerance
            when 'within_below' then claimed_value
            when 'beyond' then case when claimed_value < 0 then claimed_value end
            when 'below' then claimed_value
        end, 12) as accepted_max,
        comparator = 'above' as strict_min,
        comparator = 'below' as strict_max
    from bounded
),

judged as (
    select
        *,
        observed_value is not null
        and (
            accepted_min is null or observed_value > accepted_min
            or (not strict_min and observed_value = accepted_min)
        )
        and (
            accepted_max is null or observed_value < accepted_max
            or (not strict_max and observed_value = accepted_max)
        ) as meets_claim,
        required_history_from is not null and (data_from is null or data_from > required_history_from)
            as history_too_short,
        -- A claim on an intraday or rolling basis is finer than daily bars; hourly bars can judge it.
        claim_basis in ('intraday_level', 'rolling_24h')
        and data_resolution = 'daily' as basis_finer_than_data
    from limits
),

verdicts as (
    select
        *,
        case
            when measure = 'none' then 'unverifiable'
            when observed_value is null then 'unverifiable'
            when history_too_short then 'unverifiable'
            when meets_claim then 'confirmed'
            -- Daily data cannot refute an intraday level or a rolling 24-hour move: it says what it can.
            when basis_finer_than_data then 'unverifiable'
            -- A partial sum below the claim cannot refute it: the missing part may make up the difference.
            when not coverage_complete and observed_value < accepted_min then 'unverifiable'
            else 'contradicted'
        end as verdict
    from judged
)

select
    claim_id,
    section,
    quote,
    subject,
    measure,
    series,
    period_start,
    period_end,
    measure || '(' || concat_ws(
        ', ', nullif(series, ''), cast(period_start as varchar),
        case when period_end <> period_start then cast(period_end as varchar) end) || ')'
        as metric,
    claimed_text,
    claimed_value,
    unit,
    wording_rule,
    wording_rule_text,
    claim_basis,
    accepted_min,
    accepted_max,
    strict_min,
    strict_max,
    observed_value,
    observed_basis,
    alt_value,
    alt_basis,
    observed_on,
    verdict,
    case verdict
        when 'confirmed'
            then printf(
                '%s on %s is within the claim''s bounds (%s)',
                {{ format_value('observed_value', 'unit') }}, observed_basis, wording_rule
            )
        when 'contradicted'
            then printf(
                '%s on %s is outside the claim''s bounds (%s)',
                {{ format_value('observed_value', 'unit') }}, observed_basis, wording_rule
            )
        else coalesce(
            unverifiable_reason,
            case
                when basis_finer_than_data
                    then printf(
                        'the claim is on a finer basis (%s) than the data (daily bars), which cannot '
                        || 'refute it; what the data says is in data_says',
                        claim_basis
                    )
            end,
            case
                when history_too_short
                    then printf(
                        'needs data from %s; the series starts %s', required_history_from,
                        coalesce(cast(data_from as varchar), 'nowhere')
                    )
            end,
            case
                when observed_value is null
                    then printf(
                        'no data for %s in %s to %s (the series covers %s to %s)',
                        coalesce(nullif(series, ''), measure), period_start, period_end,
                        coalesce(cast(data_from as varchar), '-'), coalesce(cast(data_to as varchar), '-')
                    )
            end,
            printf(
                'the data covers only part of it: %s is a lower bound, %.0f%% of the claimed %s',
                {{ format_value('observed_value', 'unit') }},
                100 * observed_value / claimed_value,
                claimed_text
            )
        )
    end as verdict_reason,
    case when not coverage_complete and observed_value is not null then observed_value / claimed_value end
        as share_of_claim_covered,
    evidence,
    -- What the data does say, where the claim is wrong or on a finer basis: both bases and the neighbouring
    -- days.
    -- Nothing to say is missing (null), not an empty text.
    case
        when
            verdict = 'contradicted' or (verdict = 'unverifiable' and basis_finer_than_data)
            then nullif(concat_ws(
                '; ',
                printf('%s: %s', observed_basis, {{ format_value('observed_value', 'unit') }}),
                case
                    when
                        alt_value is not null
                        then printf('%s: %s', alt_basis, {{ format_value('alt_value', 'unit') }})
                end,
                nearby
            ), '')
    end as data_says,
    interpretation,
    data_from,
    data_to,
    coverage_complete
from verdicts
