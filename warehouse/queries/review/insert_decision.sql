-- Decisions are appended, never updated or deleted.
insert into raw.review_decisions (decision_id, submission_id, decision, reason, decided_by, decided_at)
values (?, ?, ?, ?, ?, ?)
