-- A submission whose feedback cannot be written becomes rejected (file_unprocessable), once:
-- returns the number of rows changed (0 when it already was).
update raw.submissions
set verdict = 'rejected', error_count = error_count + 1
where submission_id = ?
  and submission_id not in (
      select submission_id from raw.submission_issues where issue_code = 'file_unprocessable'
  )
