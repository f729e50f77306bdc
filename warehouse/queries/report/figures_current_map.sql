-- The figures of a report on today's map (issue 12's marts) for the periods $periods: a province of
-- today's map ($kind = 'province', current_province_code = $code; before the 2025 reform the sum of
-- the old provinces that went into it, period_province_codes) or a commune of today's map
-- ($kind = 'commune'); each with its exactness. Totals and one-way breakdowns, as figures.sql.
select
    period,
    indicator_code,
    breakdown,
    value,
    reported_units,
    expected_senders,
    reporting_senders,
    exactness,
    period_province_codes
from province_totals_current_map
where $kind = 'province' and current_province_code = $code and list_contains($periods, period)
  and breakdown not like '%;%'
union all
select
    period,
    indicator_code,
    breakdown,
    value,
    reported_units,
    null,
    null,
    exactness,
    null
from commune_totals_current_map
where $kind = 'commune' and current_commune_code = $code and list_contains($periods, period)
  and breakdown not like '%;%'
order by period, indicator_code, breakdown
