-- materialized: table
-- partition: period_code
-- Grain: one row per period x sender expected to report for it: the chain in force on the
-- period's end date (int_period_chain, each expected sender's own row), with its kind
-- (province | district | commune | body), name, sector (bodies) and province as of the period.
-- Periods are those any submission declares (int_periods_in_scope).
with

chain as (
    select * from intermediate.int_period_chain
    where is_expected and unit_code = sender_code
),

units as (
    select * from intermediate.int_period_units
)

select
    chain.period_code,
    chain.sender_code,
    chain.sender_kind,
    chain.sender_name,
    chain.sector,
    chain.province_code,
    province.unit_name as province_name
from chain
left join units as province
    on province.period_code = chain.period_code and province.unit_code = chain.province_code
