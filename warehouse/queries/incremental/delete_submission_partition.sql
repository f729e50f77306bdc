-- Drop the touched submissions' rows of base.target_relation, a table keyed by submission_id.
delete from base.target_relation
where submission_id in (select submission_id from touched_submissions)
