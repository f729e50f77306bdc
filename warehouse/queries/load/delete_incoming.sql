-- Keyed by submission_id: a rerun deletes the rows of the submissions it loads, then inserts them.
delete from raw.submission_issues where submission_id in (select submission_id from incoming);
delete from raw.unit_report_values where submission_id in (select submission_id from incoming);
delete from raw.submissions where submission_id in (select submission_id from incoming);
delete from raw.submission_data_docs where submission_id in (select submission_id from incoming);
