-- Copy raw.unit_report_values of the attached pipeline file into the warehouse being built.
-- By name: a category added to the catalogue since the pipeline file was last opened is NULL (total).
insert into raw.unit_report_values by name select * from pipeline.raw.unit_report_values
