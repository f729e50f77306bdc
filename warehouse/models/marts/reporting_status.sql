-- materialized: table
-- partition: period
-- Grain: one row per expected sender x period (int_expected_senders: the reporting chain in force
-- on the period's end date; periods any submission declares). DHIS2-style timeliness, measured from
-- what arrived:
--   first_received_at  the sender's first file for the period, whatever its verdict (UTC)
--   accepted_at        the current accepted file: when it was received, or when a validator
--                      accepted it (review_decision accept); NULL if none is current (UTC)
--   status             on_time: the sender's first accepted file arrived by the deadline;
--                      late: it arrived after; rejected_only: files came, none is accepted now;
--                      missing: no file
--   working_days_late  for a late sender: working days after deadline_date up to the local date of
--                      that first accepted file (int_working_days; 0 when it came on a day off
--                      right after the deadline); 0 when on time; NULL otherwise
-- A file is late when its local date in Asia/Ho_Chi_Minh (received_at is UTC) is after
-- deadline_date. "Accepted" follows the validators' standing decisions (int_submissions_versioned).
with

expected as (
    select * from intermediate.int_expected_senders
),

periods as (
    select * from intermediate.int_periods
),

days as (
    select * from intermediate.int_working_days
),

files as (
    select
        sender_code,
        period_code,
        min(received_at) as first_received_at,
        min(received_at) filter (where is_accepted) as first_accepted_at,
        any_value(
            case when review_decision = 'accept' then reviewed_at else received_at end
        ) filter (where is_current) as accepted_at,
        bool_or(is_current) as has_current
    from intermediate.int_submissions_versioned
    where period_code is not null
    group by sender_code, period_code
),

judged as (
    select
        expected.*,
        periods.deadline_date,
        files.first_received_at,
        files.accepted_at,
        files.first_accepted_at,
        coalesce(files.has_current, false) as has_current,
        -- received_at is a UTC timestamp: as UTC, then the wall clock in Vietnam
        cast(timezone('Asia/Ho_Chi_Minh', timezone('UTC', files.first_accepted_at)) as date)
            as first_accepted_local_date
    from expected
    join periods using (period_code)
    left join files using (sender_code, period_code)
)

select
    judged.sender_code,
    judged.sender_name,
    judged.sender_kind,
    judged.sector,
    judged.province_code,
    judged.province_name,
    judged.period_code as period,
    judged.deadline_date,
    judged.first_received_at,
    judged.accepted_at,
    case
        when judged.first_received_at is null then 'missing'
        when not judged.has_current then 'rejected_only'
        when judged.first_accepted_local_date <= judged.deadline_date then 'on_time'
        else 'late'
    end as status,
    case
        when not judged.has_current then null
        when judged.first_accepted_local_date <= judged.deadline_date then 0
        else arrived.working_day_number - deadline.working_day_number
    end as working_days_late
from judged
left join days as deadline on deadline.day = judged.deadline_date
left join days as arrived on arrived.day = judged.first_accepted_local_date
