select 1 from raw.review_decisions where decision_id = ?
