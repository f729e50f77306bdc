-- Copy raw.submission_issues of the attached pipeline file into the warehouse being built.
insert into raw.submission_issues select * from pipeline.raw.submission_issues
