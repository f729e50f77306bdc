-- The feedback of these submissions is written (or, for a cleanly accepted file, an old one removed).
insert or ignore into raw.feedback_sent select unnest($ids::varchar[]) as submission_id
