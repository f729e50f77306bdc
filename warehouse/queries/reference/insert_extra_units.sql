-- More admin units in the reference's columns (a scaled benchmark's synthetic communes), from a
-- registered frame `extra_units_frame`.
insert into raw.admin_units by name
select * from extra_units_frame;
