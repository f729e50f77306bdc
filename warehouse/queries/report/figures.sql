-- The figures of one report's scope for the periods $periods: one row per period x indicator from
-- the totals mart of its kind ($kind: province | district | commune | group, $code), with the
-- senders the chain expects for it and how many reported (NULL for a commune: its district sends).
-- Totals (breakdown = 'total') and one-way breakdowns (`holder=tap_the`, `field=kinh_te`: models by
-- holder, field, recognition level); a breakdown by two categories at once is left to the marts.
select period, indicator_code, breakdown, value, reported_units, expected_senders, reporting_senders
from province_totals
where $kind = 'province' and province_code = $code and list_contains($periods, period)
  and breakdown not like '%;%'
union all
select period, indicator_code, breakdown, value, reported_units, expected_senders, reporting_senders
from district_totals
where $kind = 'district' and district_code = $code and list_contains($periods, period)
  and breakdown not like '%;%'
union all
select period, indicator_code, breakdown, value, cast(value is not null as bigint), null, null
from commune_totals
where $kind = 'commune' and commune_code = $code and list_contains($periods, period)
  and breakdown not like '%;%'
union all
select period, indicator_code, breakdown, value, reported_units, expected_senders, reporting_senders
from group_totals
where $kind = 'group' and group_code = $code and list_contains($periods, period)
  and breakdown not like '%;%'
order by period, indicator_code, breakdown
