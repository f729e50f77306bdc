-- Copy raw.submissions of the attached pipeline file into the warehouse being built.
insert into raw.submissions select * from pipeline.raw.submissions
