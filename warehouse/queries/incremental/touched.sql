-- The periods to rebuild ('' = files that declared none) and every submission of them, on either
-- side: the rows an incremental build replaces.
create or replace temp table touched_periods as
select distinct period_key from changed_submissions;

create or replace temp table touched_submissions as
select submission_id from pipeline.raw.submissions
where coalesce(period, '') in (select period_key from touched_periods)
union
select submission_id from base.raw.submissions
where coalesce(period, '') in (select period_key from touched_periods)
