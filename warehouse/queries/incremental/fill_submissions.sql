-- The scratch build's raw.submissions: the pipeline's rows of the touched periods.
insert into raw.submissions
select * from pipeline.raw.submissions
where coalesce(period, '') in (select period_key from touched_periods)
