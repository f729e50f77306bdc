-- materialized: table
-- partition: period_code
-- Grain: one row per period x sender x unit the sender may report for in the period: the rows of
-- int_reporting_chain in the epoch in force on the period's END date that overlap the period (a
-- unit valid on any day of it, like int_period_units; the latest version names it). is_expected:
-- the chain expects this sender and the row is still in force on the period's end date. Validation
-- asks it which folders may send and which units each may report (transforms/reference.py:
-- Reference.scope); int_expected_senders takes each expected sender's own row.
with

periods as (
    select * from intermediate.int_periods_in_scope
),

chain as (
    select * from intermediate.int_reporting_chain
),

in_period as (
    select
        periods.period_code,
        chain.*,
        chain.is_expected
        and chain.valid_from <= periods.end_date
        and (chain.valid_to is null or chain.valid_to > periods.end_date) as in_force_at_end
    from periods
    join chain
        on chain.epoch_from <= periods.end_date
        and (chain.epoch_to is null or chain.epoch_to > periods.end_date)
        and chain.valid_from <= periods.end_date
        and (chain.valid_to is null or chain.valid_to > periods.start_date)
),

latest as (
    select * from in_period
    qualify row_number() over (
        partition by period_code, sender_code, unit_code order by valid_from desc, sender_name
    ) = 1
)

select
    period_code,
    sender_code,
    sender_kind,
    sender_name,
    sector,
    province_code,
    unit_code,
    unit_level,
    in_force_at_end as is_expected
from latest
