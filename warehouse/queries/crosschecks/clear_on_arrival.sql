-- The outlier issues of the arrived submissions are judged again (? = the codes).
delete from raw.submission_issues
where submission_id in (select submission_id from cc_arrived)
  and issue_code in (select unnest(?::varchar[]))
