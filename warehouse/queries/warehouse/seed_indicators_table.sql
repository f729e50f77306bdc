-- raw.indicators, filled from schemas/indicators.yaml by seed_indicator.
create or replace table raw.indicators (
    code varchar,
    label_vi varchar,
    label_en varchar,
    indicator_group varchar,
    sort_order integer
)
