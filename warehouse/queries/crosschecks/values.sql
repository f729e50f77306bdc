-- The figures of the current submissions of the periods the checks read (? = those periods: the
-- touched ones and the halves of a touched year; declared totals are never compared). Not the
-- whole history: a load's memory follows its periods, not the backlog held.
create or replace temp table cc_values as
select c.submission_id, c.sender_code, c.period, v.row_number, v.unit_code, v.indicator_code,
       v.breakdown, v.value
from raw.unit_report_values as v
join cc_current as c using (submission_id)
where not v.is_declared_total
  and c.period in (select unnest(?::varchar[]))
