-- More units in the same columns (the synthetic units of a scaled benchmark). ? = the CSV's path.
insert into raw.admin_units
select * from read_csv(?, all_varchar = true, header = true)
