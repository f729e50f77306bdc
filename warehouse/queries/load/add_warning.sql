-- A warning added to a loaded submission: counted, and an accepted file becomes accepted_with_warnings.
update raw.submissions
set warning_count = warning_count + 1,
    verdict = case when verdict = 'accepted' then 'accepted_with_warnings' else verdict end
where submission_id = ?
