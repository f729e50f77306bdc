-- Drop the touched periods' rows of base.target_relation, a table partitioned by partition_column
-- (a period code; transforms/incremental.py names both), before the scratch build's are put in.
delete from base.target_relation
where coalesce(partition_column, '') in (select period_key from touched_periods)
