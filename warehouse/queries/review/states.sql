-- Submissions as the lifecycle model holds them on pipeline.duckdb (? = their ids), with their
-- latest decision (a reopen included: review_decision is NULL then) and their status.
select
    v.submission_id,
    v.sender_code,
    v.file_name,
    v.period_code as period,
    v.received_at,
    v.verdict,
    v.duplicate_of,
    v.error_count,
    v.warning_count,
    v.reviewed_verdict,
    v.is_accepted,
    v.status,
    v.review_decision,
    v.archive_path,
    d.decision_id,
    d.decision,
    d.reason,
    d.decided_by,
    d.decided_at at time zone 'UTC' as decided_at
from intermediate.int_submissions_versioned as v
left join raw.review_decisions as d on d.decision_id = v.latest_decision_id
where v.submission_id in (select unnest(?::varchar[]))
