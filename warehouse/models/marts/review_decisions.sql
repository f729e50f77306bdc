-- materialized: table
-- partition: period
-- Grain: one row per decision a validator recorded (accept | reject | reopen), never updated or
-- deleted. The latest decision on a submission stands unless it is a reopen (see submissions).
with

decisions as (
    select * from staging.stg_danvan__review_decisions
),

submissions as (
    select submission_id, sender_code, period_code, file_name from staging.stg_danvan__submissions
)

select
    decisions.decision_id,
    decisions.submission_id,
    submissions.sender_code,
    submissions.period_code as period,
    submissions.file_name,
    decisions.decision,
    decisions.reason,
    decisions.decided_by,
    decisions.decided_at
from decisions
left join submissions using (submission_id)
