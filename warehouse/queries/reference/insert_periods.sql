-- Every period of the calendar in one statement, from a registered frame `periods_frame` (the
-- columns of raw.periods, built by transforms/warehouse.py from periods.calendar()).
insert into raw.periods by name
select * from periods_frame;
