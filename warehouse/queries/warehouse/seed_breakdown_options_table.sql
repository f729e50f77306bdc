-- raw.breakdown_options, filled from the categories of schemas/indicators.yaml by seed_breakdown_option.
create or replace table raw.breakdown_options (
    category_code varchar,
    category_label_vi varchar,
    category_label_en varchar,
    category_sort_order integer,
    option_code varchar,
    label_vi varchar,
    label_en varchar,
    sort_order integer
)
