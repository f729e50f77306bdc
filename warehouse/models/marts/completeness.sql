-- materialized: table
-- partition: period
-- Grain: one row per province x period that anyone reported for. Measured from what arrived, per
-- expected sender (reporting_status: the reporting chain in force on the period's end date):
-- before 2025-07-01 the province's districts, the province itself and its registered bodies; from
-- then its communes, itself and its bodies. A sender counts once however many files it sent, so
-- completeness_rate (senders_accepted / expected_senders) can never exceed 1; on-time and late
-- senders add up to senders_accepted; timeliness_rate = senders_on_time / expected_senders.
with

status as (
    select * from main.reporting_status
)

select
    period,
    province_code,
    any_value(province_name) as province_name,
    count(*) as expected_senders,
    count(*) filter (where status <> 'missing') as senders_with_files,
    count(*) filter (where status in ('on_time', 'late')) as senders_accepted,
    count(*) filter (where status = 'on_time') as senders_on_time,
    count(*) filter (where status = 'late') as senders_late,
    round(count(*) filter (where status in ('on_time', 'late')) / count(*), 4) as completeness_rate,
    round(count(*) filter (where status = 'on_time') / count(*), 4) as timeliness_rate
from status
group by period, province_code
