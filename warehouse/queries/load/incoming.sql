-- The submissions of a run's artefacts (? = the submissions.parquet files of its validate tasks).
create or replace temp table incoming as
select * from read_parquet(?, union_by_name = true)
