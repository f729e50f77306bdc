-- Copy raw.unit_report_values of the attached pipeline file into the warehouse being built.
insert into raw.unit_report_values select * from pipeline.raw.unit_report_values
