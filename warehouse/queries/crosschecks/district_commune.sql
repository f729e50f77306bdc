-- district_commune_mismatch: a current file's row for another unit that differs from that unit's
-- own current file for the same period (rechecked submissions only).
select hi.submission_id, hi.row_number, hi.unit_code, hi.indicator_code, hi.breakdown, hi.value,
       own.value as own
from cc_values hi
join cc_values own
    on own.period = hi.period and own.sender_code = hi.unit_code
   and own.unit_code = hi.unit_code and own.indicator_code = hi.indicator_code
   and own.breakdown = hi.breakdown
where hi.sender_code <> hi.unit_code
  and hi.submission_id in (select submission_id from cc_recheck)
  and hi.value is distinct from own.value
order by all
