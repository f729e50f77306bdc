-- materialized: table
-- Grain: one row per indicator of the catalogue. aggregation: how a figure aggregates over time
-- (its time_aggregation: sum for a flow, last for a stock); over units, every indicator adds up.
select *, time_aggregation as aggregation from staging.stg_reference__indicators
