-- materialized: view
-- Grain: one row per decision a validator recorded (append-only). Renames and casts only.
with

source as (
    select * from raw.review_decisions
)

select
    decision_id,
    submission_id,
    decision,
    reason,
    decided_by,
    decided_at at time zone 'UTC' as decided_at
from source
