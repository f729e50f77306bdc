-- year_differs_from_halves for a year that straddles the 2025 reform ($straddling: 2025, S1 on the
-- old map, the year and S2 on today's), compared on today's map (rechecked only; run only when
-- such a year is checked): S1 is the sum of the old units that went wholly into the year report's
-- unit (cc_crosswalk: old 19 + old 06 for Thái Nguyên's own row; the old communes of a commune made
-- only of whole ones), as counted (int_unit_report_values_current: whoever reported them, a unit's
-- own file first), and only when every one of them has a figure; a unit of today's map that
-- received part of a split commune, or a body, is not compared. The same sender code's S1 is never
-- used: codes were reused (15 was Yên Bái, 00004 Phường Trúc Bạch). Columns as year_halves.sql.
with

s1_today as (
    select
        c.current_code as unit_code,
        v.period_code as period,
        v.indicator_code,
        v.breakdown,
        sum(v.value) as value
    from intermediate.int_unit_report_values_current as v
    join cc_crosswalk as c on c.old_code = v.unit_code
    where list_contains(list_transform($straddling::varchar[], lambda y: y || 'S1'), v.period_code)
    group by all
    having count(v.value) = any_value(c.predecessors)
)

select y.submission_id, y.row_number, y.unit_code, y.indicator_code, y.breakdown, y.value,
       h1.value as s1, h2.value as s2,
       list_contains($stocks::varchar[], y.indicator_code) as is_stock,
       over_time(case when is_stock then 'last' else 'sum' end, [h1.value, h2.value]) as expected
from cc_values y
join s1_today h1
    on h1.unit_code = y.unit_code and h1.period = y.period || 'S1'
   and h1.indicator_code = y.indicator_code and h1.breakdown = y.breakdown
join cc_values h2
    on h2.sender_code = y.sender_code and h2.period = y.period || 'S2'
   and h2.unit_code = y.unit_code and h2.indicator_code = y.indicator_code
   and h2.breakdown = y.breakdown
where y.submission_id in (select submission_id from cc_recheck)
  and list_contains($straddling::varchar[], y.period)
  and y.value <> expected
order by all
