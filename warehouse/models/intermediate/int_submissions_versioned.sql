-- Grain: one row per received file, with its version among the sender's files for the period
-- and its final status. A newer accepted file supersedes the older accepted one (kept in history,
-- status `superseded`); a rejected or duplicate file never supersedes anything.
with

submissions as (
    select * from staging.stg_danvan__submissions
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
        verdict in ('accepted', 'accepted_with_warnings')
        and row_number() over (
            partition by sender_code, period_code, verdict in ('accepted', 'accepted_with_warnings')
            order by received_at desc, submission_id desc
        ) = 1 as is_current
    from submissions
),

with_status as (
    select
        *,
        case
            when verdict in ('accepted', 'accepted_with_warnings') and not is_current then 'superseded'
            else verdict
        end as status
    from versioned
)

select * from with_status
