-- materialized: table
-- Grain: one row per province x period that anyone reported for. Measured from what arrived:
-- expected senders = districts valid in the period (before 2025-07-01) or the province itself
-- (after); a sender counts as reported when it has a current accepted submission.
with

units as (
    select * from intermediate.int_period_units
),

periods as (
    select * from intermediate.int_periods_in_scope
),

expected as (
    select units.period_code, units.province_code, units.province_name, units.unit_code as sender_code
    from units
    join periods using (period_code)
    where (not periods.after_reform and units.unit_level = 'district')
       or (periods.after_reform and units.unit_level = 'province')
),

submissions as (
    select sender_code, period_code, bool_or(is_current) as has_current, count(*) as files_received
    from intermediate.int_submissions_versioned
    group by sender_code, period_code
)

select
    expected.period_code as period,
    expected.province_code,
    any_value(expected.province_name) as province_name,
    count(*) as expected_senders,
    count(submissions.sender_code) as senders_with_files,
    count(*) filter (where submissions.has_current) as senders_accepted,
    round(count(*) filter (where submissions.has_current) / count(*), 4) as completeness_rate
from expected
left join submissions
    on submissions.sender_code = expected.sender_code and submissions.period_code = expected.period_code
group by expected.period_code, expected.province_code
