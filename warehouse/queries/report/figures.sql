-- The figures of one report's scope over one tiling of its period ($periods: the reported periods
-- that make it up, e.g. 2018, 2019, 2020 for the phase 2018-2020): one row per indicator x breakdown
-- (totals and one-way breakdowns: `holder=tap_the`, `field=kinh_te`), from the totals mart of the
-- scope's kind ($kind: province | district | commune | group, $code). The value follows the
-- indicator's time aggregation (the over_time macro: flows added, a stock's last part) over the
-- parts that have a figure (as window_totals' value_so_far); parts_reported lists them, and
-- senders_missing says whether a part lacks an expected sender (never for a commune: its district sends).
-- $map = 'current': from issue 12's marts instead, a province or commune of today's map (before the
-- 2025 reform the sum of the old provinces that went into it, period_province_codes), with the
-- exactness of the parts.
with

scoped as (
    select
        period, indicator_code, breakdown, value, expected_senders, reporting_senders,
        null as exactness, cast([] as varchar[]) as period_province_codes
    from province_totals
    where $map = 'asof' and $kind = 'province' and province_code = $code
    union all
    select period, indicator_code, breakdown, value, expected_senders, reporting_senders, null, []
    from district_totals
    where $map = 'asof' and $kind = 'district' and district_code = $code
    union all
    select period, indicator_code, breakdown, value, null, null, null, []
    from commune_totals
    where $map = 'asof' and $kind = 'commune' and commune_code = $code
    union all
    select period, indicator_code, breakdown, value, expected_senders, reporting_senders, null, []
    from group_totals
    where $map = 'asof' and $kind = 'group' and group_code = $code
    union all
    select
        period, indicator_code, breakdown, value, expected_senders, reporting_senders, exactness,
        period_province_codes
    from province_totals_current_map
    where $map = 'current' and $kind = 'province' and current_province_code = $code
    union all
    select period, indicator_code, breakdown, value, null, null, exactness, []
    from commune_totals_current_map
    where $map = 'current' and $kind = 'commune' and current_commune_code = $code
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
    coalesce(list(distinct scoped.exactness) filter (where scoped.exactness is not null), []) as exactness,
    list_distinct(flatten(list(scoped.period_province_codes))) as period_province_codes
from scoped
join parts using (period)
join indicators using (indicator_code)
where scoped.breakdown not like '%;%'
group by scoped.indicator_code, scoped.breakdown
order by scoped.indicator_code, scoped.breakdown
