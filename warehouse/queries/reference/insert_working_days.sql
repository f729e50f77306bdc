-- Every day of the working calendar in one statement, from a registered frame `working_days_frame`
-- (day, is_working_day, note; built by transforms/warehouse.py from periods.working_day_rows()).
insert into raw.working_days by name
select * from working_days_frame;
