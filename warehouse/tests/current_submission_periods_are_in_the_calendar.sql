-- Every current submission's period is a period of the calendar (transforms/periods.py, seeded as
-- raw.periods): a current file outside it would count nowhere (int_periods_in_scope drops it) and
-- be missing from every total and from completeness without a word. The same for a window
-- (2024N9, 2021-2025): analysts ask for those, files never report them. Returns the failing rows.
select s.submission_id, s.sender_code, s.period
from submissions as s
left join periods as p on p.period_code = s.period and not p.is_window
where s.is_current and p.period_code is null
