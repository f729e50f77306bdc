-- materialized: view
-- Grain: one row per accepted submission x unit row x indicator. Renames and casts only.
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
    value
from source
