-- year_differs_from_halves: a sender's year report that does not follow its half-years (rechecked
-- only), per indicator x breakdown: a flow's year is S1 + S2, a stock's (time_aggregation last,
-- $stocks) is S2, the value at the end of the year. `expected` is what the halves give.
-- A year that straddles the 2025 reform ($straddling: 2025, S1 on the old map, the year and S2 on
-- today's) is compared on today's map: S1 is the sum of the old units that went wholly into the
-- year report's unit (cc_crosswalk: old 19 + old 06 for Thái Nguyên's own row; the old communes
-- of a commune made only of whole ones), from whoever reported them, and only when every one of
-- them did; a unit of today's map that received part of a split commune, or a body, is not compared.
-- The same sender's S1 is never used there: codes were reused (15 was Yên Bái, 00004 Trúc Bạch).
with

years as (
    select *, list_contains($straddling::varchar[], period) as straddles
    from cc_values
    where submission_id in (select submission_id from cc_recheck)
      and regexp_full_match(period, '\d{4}')
),

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
      and not v.is_declared_total
    group by all
    having count(v.value) = any_value(c.predecessors)
)

select y.submission_id, y.row_number, y.unit_code, y.indicator_code, y.breakdown, y.value,
       case when y.straddles then t1.value else h1.value end as s1, h2.value as s2,
       list_contains($stocks::varchar[], y.indicator_code) as is_stock,
       case when is_stock then h2.value else s1 + h2.value end as expected
from years y
left join cc_values h1
    on not y.straddles
   and h1.sender_code = y.sender_code and h1.period = y.period || 'S1'
   and h1.unit_code = y.unit_code and h1.indicator_code = y.indicator_code
   and h1.breakdown = y.breakdown
left join s1_today t1
    on y.straddles
   and t1.unit_code = y.unit_code and t1.period = y.period || 'S1'
   and t1.indicator_code = y.indicator_code and t1.breakdown = y.breakdown
join cc_values h2
    on h2.sender_code = y.sender_code and h2.period = y.period || 'S2'
   and h2.unit_code = y.unit_code and h2.indicator_code = y.indicator_code
   and h2.breakdown = y.breakdown
where s1 is not null
  and y.value <> expected
order by all
