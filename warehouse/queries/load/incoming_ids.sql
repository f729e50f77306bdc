select submission_id from incoming order by submission_id
