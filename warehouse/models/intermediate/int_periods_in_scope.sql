-- materialized: view
-- Grain: one row per period that at least one submission declares. Bounds the as-of hierarchy
-- (int_period_units) to the periods that matter. transforms/reference.py defines the same relation
-- over the periods a batch asks about (warehouse/queries/reference/create_periods_in_scope.sql).
-- Windows (nine months, phases) are never in scope: files do not report them, and nothing that
-- follows the files (totals, completeness) may count a figure again under a window.
with

periods as (
    select * from intermediate.int_periods where not is_window
),

submissions as (
    select distinct period_code from staging.stg_danvan__submissions where period_code is not null
)

select
    periods.period_code,
    periods.period_type,
    periods.start_date,
    periods.end_date,
    periods.after_reform,
    periods.hierarchy_start_date
from periods
join submissions using (period_code)
