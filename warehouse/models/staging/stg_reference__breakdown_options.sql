-- materialized: view
-- Grain: one row per option of a category of the catalogue (schemas/indicators.yaml). Renames and
-- casts only.
with

source as (
    select * from raw.breakdown_options
)

select
    category_code,
    category_label_vi,
    category_label_en,
    cast(category_sort_order as integer) as category_sort_order,
    option_code,
    label_vi,
    label_en,
    cast(sort_order as integer) as sort_order
from source
