-- materialized: view
-- Grain: one row per accepted submission x unit row x indicator x breakdown. Renames and casts only;
-- the category columns (one per category of the catalogue, NULL = all options) pass through.
with

source as (
    select * from raw.unit_report_values
)

select
    submission_id,
    row_number,
    unit_code,
    is_declared_total,
    indicator_code,
    breakdown,
    source.* exclude (
        submission_id, row_number, unit_code, is_declared_total, indicator_code, breakdown, value
    ),
    value
from source
