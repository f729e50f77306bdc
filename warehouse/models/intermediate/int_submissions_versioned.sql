-- materialized: table
-- partition: period_code
-- Grain: one row per received file, with its version among the sender's files for the period
-- and its final status. A validator's standing decision (the latest one, unless it is a reopen)
-- overrides the pipeline's verdict: accept -> accepted, reject -> rejected. A newer accepted file
-- supersedes the older accepted one (kept in history, status `superseded`); a rejected or
-- duplicate file never supersedes anything, so rejecting the current file makes the sender's
-- latest accepted, not rejected file for the period current again. This model is the one
-- definition of the lifecycle: it is also a view on pipeline.duckdb, which the crosschecks, the
-- validators' desk and the senders' feedback read (transforms/warehouse.py: PIPELINE_MODELS).
with

submissions as (
    select * from staging.stg_danvan__submissions
),

latest_decisions as (
    select * from staging.stg_danvan__review_decisions
    qualify row_number() over (partition by submission_id order by decided_at desc, decision_id desc) = 1
),

reviewed as (
    select
        submissions.*,
        latest_decisions.decision_id as latest_decision_id,
        case when latest_decisions.decision <> 'reopen' then latest_decisions.decision end as review_decision,
        case when latest_decisions.decision <> 'reopen' then latest_decisions.decided_by end as reviewed_by,
        case when latest_decisions.decision <> 'reopen' then latest_decisions.decided_at end as reviewed_at,
        case latest_decisions.decision
            when 'accept' then 'accepted'
            when 'reject' then 'rejected'
            else submissions.verdict
        end as reviewed_verdict
    from submissions
    left join latest_decisions using (submission_id)
),

counted as (  -- is_accepted: the file's figures may count (it is current unless a newer one is)
    select *, reviewed_verdict in ('accepted', 'accepted_with_warnings') as is_accepted
    from reviewed
),

versioned as (
    select
        *,
        case when verdict <> 'duplicate' then
            row_number() over (
                partition by sender_code, period_code, verdict <> 'duplicate'
                order by received_at, submission_id
            )
        end as version,
        is_accepted
        and row_number() over (
            partition by sender_code, period_code, is_accepted
            order by received_at desc, submission_id desc
        ) = 1 as is_current
    from counted
),

with_status as (
    select
        *,
        case
            when is_accepted and not is_current then 'superseded'
            else reviewed_verdict
        end as status
    from versioned
)

select * from with_status
