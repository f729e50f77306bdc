-- The scratch build's raw_table (a raw table keyed by submission_id; transforms/incremental.py
-- names it): the pipeline's rows of the touched submissions, by name.
insert into raw.raw_table by name
select * from pipeline.raw.raw_table
where submission_id in (select submission_id from touched_submissions)
