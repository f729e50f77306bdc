-- materialized: table
-- Grain: one row per indicator of the catalogue. Every indicator aggregates by SUM.
select *, 'sum' as aggregation from staging.stg_reference__indicators
