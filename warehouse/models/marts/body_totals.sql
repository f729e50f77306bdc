-- materialized: table
-- Grain: one row per reporting body x period x indicator: the figures of the non-territorial
-- bodies (schemas/reporting_bodies.csv: the People's Committee's agencies, the Front, the police,
-- the military command), with their sector. They count in province_totals, never in a district's
-- or a commune's. value NULL = reported as not available.
with

located as (
    select * from intermediate.int_unit_report_values_located where unit_level = 'body'
)

select
    period_code as period,
    province_code,
    province_name,
    unit_code as body_code,
    unit_name as body_name,
    sector,
    indicator_code,
    value
from located
