-- materialized: view
-- Grain: one row per period x unit x indicator x breakdown, from the current accepted submission of
-- each sender. Declared totals (unit_code TOTAL) are stored, never added. When two current
-- submissions report the same unit (a commune's own file and its district's), the unit's own
-- report wins, then the lowest-level sender, for the indicator with all its breakdowns: a figure
-- is never added twice, and a total never comes from one file and its parts from another.
with

current_submissions as (
    select submission_id, sender_code, period_code
    from intermediate.int_submissions_versioned
    where is_current
),

unit_values as (
    select * from staging.stg_danvan__unit_report_values
    where not is_declared_total
),

joined as (
    select
        current_submissions.period_code,
        current_submissions.sender_code,
        unit_values.*
    from unit_values
    join current_submissions using (submission_id)
),

unit_senders as (  -- the current submissions that report each unit: almost always one
    select distinct current_submissions.period_code, unit_values.unit_code, unit_values.submission_id
    from unit_values
    join current_submissions using (submission_id)
),

contested as (  -- units two current submissions report (a commune's own file and its district's)
    select period_code, unit_code from unit_senders group by period_code, unit_code having count(*) > 1
),

uncontested as (
    select joined.* from joined anti join contested using (period_code, unit_code)
),

resolved as (  -- only the contested units pay for the window
    select joined.* from joined semi join contested using (period_code, unit_code)
    qualify submission_id = first_value(submission_id) over (
        partition by period_code, unit_code, indicator_code
        order by unit_code = sender_code desc, length(sender_code) desc, submission_id
    )
)

select * from uncontested
union all
select * from resolved
