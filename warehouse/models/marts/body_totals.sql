-- materialized: table
-- partition: period
-- Grain: one row per reporting body x period x indicator x breakdown (one column per category of
-- the catalogue, NULL = all options; the total is the row with breakdown = 'total'): the figures of the non-territorial
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
    breakdown,
    located.* exclude (
        period_code, province_code, province_name, district_code, district_name, unit_code,
        unit_level, unit_name, sector, indicator_code, breakdown, value
    ),
    value
from located
