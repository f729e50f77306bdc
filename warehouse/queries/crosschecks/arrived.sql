-- The loaded submissions that are current: the ones the outlier check judges.
create or replace temp table cc_arrived as
select * from cc_current
where submission_id in (select submission_id from cc_loaded)
