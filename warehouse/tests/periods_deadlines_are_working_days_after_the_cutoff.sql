-- periods: every period ends on or after it starts, is cut off on or after its end, and is due on
-- a working day on or after its cut-off (intermediate.int_working_days: Vietnam's working calendar,
-- which must hold every deadline). Returns the failing periods.
select p.period_code, p.start_date, p.end_date, p.cutoff_date, p.deadline_date, w.is_working_day
from periods as p
left join intermediate.int_working_days as w on w.day = p.deadline_date
where p.end_date < p.start_date
    or p.cutoff_date < p.end_date
    or p.deadline_date < p.cutoff_date
    or w.is_working_day is distinct from true
