-- raw.indicators, filled from schemas/indicators.yaml by seed_indicator.
create or replace table raw.indicators (
    code varchar,
    label_vi varchar,
    label_en varchar,
    indicator_group varchar,
    sort_order integer,
    value_type varchar,        -- count | amount_vnd
    time_aggregation varchar,  -- sum (a flow) | last (a stock: the value at the end of the window)
    breakdowns varchar[]       -- the categories it may be broken down by
)
