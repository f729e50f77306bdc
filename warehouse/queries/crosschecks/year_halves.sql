-- year_differs_from_halves: a sender's year report that does not follow its half-years (rechecked
-- only), per indicator x breakdown: a flow's year is S1 + S2, a stock's (time_aggregation last,
-- $stocks) is S2, the value at the end of the year (the over_time macro). `expected` is what the
-- halves give. A year that straddles the 2025 reform ($straddling) is compared on today's map
-- instead (year_halves_today.sql): the same sender code's S1 may be another unit (15 was Yên Bái).
select y.submission_id, y.row_number, y.unit_code, y.indicator_code, y.breakdown, y.value,
       h1.value as s1, h2.value as s2,
       list_contains($stocks::varchar[], y.indicator_code) as is_stock,
       over_time(case when is_stock then 'last' else 'sum' end, [h1.value, h2.value]) as expected
from cc_values y
join cc_values h1
    on h1.sender_code = y.sender_code and h1.period = y.period || 'S1'
   and h1.unit_code = y.unit_code and h1.indicator_code = y.indicator_code
   and h1.breakdown = y.breakdown
join cc_values h2
    on h2.sender_code = y.sender_code and h2.period = y.period || 'S2'
   and h2.unit_code = y.unit_code and h2.indicator_code = y.indicator_code
   and h2.breakdown = y.breakdown
where y.submission_id in (select submission_id from cc_recheck)
  and regexp_full_match(y.period, '\d{4}')
  and not list_contains($straddling::varchar[], y.period)
  and y.value <> expected
order by all
