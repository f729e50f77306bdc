-- year_differs_from_halves: a sender's year report that is not its S1 + S2 (rechecked only).
select y.submission_id, y.row_number, y.unit_code, y.indicator_code, y.value, h1.value as s1, h2.value as s2
from cc_values y
join cc_values h1
    on h1.sender_code = y.sender_code and h1.period = y.period || 'S1'
   and h1.unit_code = y.unit_code and h1.indicator_code = y.indicator_code
join cc_values h2
    on h2.sender_code = y.sender_code and h2.period = y.period || 'S2'
   and h2.unit_code = y.unit_code and h2.indicator_code = y.indicator_code
where y.submission_id in (select submission_id from cc_recheck)
  and regexp_full_match(y.period, '\d{4}')
  and y.value <> h1.value + h2.value
order by all
