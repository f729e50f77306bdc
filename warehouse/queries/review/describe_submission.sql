-- One submission as the published warehouse shows it ($submission_id).
select * from submissions where submission_id = $submission_id
