-- The figures of a report on today's map (issue 12's marts) over one tiling $periods, shaped as
-- figures.sql: a province of today's map ($kind = 'province', current_province_code = $code; before
-- the 2025 reform the sum of the old provinces that went into it, period_province_codes) or a
-- commune of today's map ($kind = 'commune'); with the exactness of the parts.
with

scoped as (
    select
        period, indicator_code, breakdown, value, expected_senders, reporting_senders, exactness,
        period_province_codes
    from province_totals_current_map
    where $kind = 'province' and current_province_code = $code
    union all
    select
        period, indicator_code, breakdown, value, null, null, exactness, cast([] as varchar[])
    from commune_totals_current_map
    where $kind = 'commune' and current_commune_code = $code
),

parts as (
    select period_code as period, start_date from periods where list_contains($periods, period_code)
)

select
    scoped.indicator_code,
    scoped.breakdown,
    any_value(indicators.time_aggregation) as time_aggregation,
    over_time(
        any_value(indicators.time_aggregation),
        list(scoped.value order by parts.start_date) filter (where scoped.value is not null)
    ) as value,
    coalesce(list(scoped.period order by parts.start_date) filter (where scoped.value is not null), [])
        as parts_reported,
    coalesce(bool_or(scoped.reporting_senders < scoped.expected_senders), false) as senders_missing,
    list(distinct scoped.exactness) as exactness,
    list_distinct(flatten(list(scoped.period_province_codes))) as period_province_codes
from scoped
join parts using (period)
join indicators using (indicator_code)
where scoped.breakdown not like '%;%'
group by scoped.indicator_code, scoped.breakdown
order by scoped.indicator_code, scoped.breakdown
