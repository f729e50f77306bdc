-- The calendar of the periods held, from the frame crosschecks registers as cc_periods_frame.
create or replace temp table cc_periods as
select period_code, period_type, cast(start_date as date) as start_date, cast(end_date as date) as end_date
from cc_periods_frame
