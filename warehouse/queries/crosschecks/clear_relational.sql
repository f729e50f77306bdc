-- A recheck replaces the relational issues of the rechecked submissions (? = the codes).
delete from raw.submission_issues
where submission_id in (select submission_id from cc_recheck)
  and issue_code in (select unnest(?::varchar[]))
