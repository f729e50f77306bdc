-- The as-of hierarchy of those periods, from the frame crosschecks registers as cc_units_frame.
create or replace temp table cc_units as
select * from cc_units_frame
