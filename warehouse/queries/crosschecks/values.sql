-- The figures of every current submission (declared totals are never compared).
create or replace temp table cc_values as
select c.submission_id, c.sender_code, c.period, v.row_number, v.unit_code, v.indicator_code,
       v.breakdown, v.value
from raw.unit_report_values as v
join cc_current as c using (submission_id)
where not v.is_declared_total
