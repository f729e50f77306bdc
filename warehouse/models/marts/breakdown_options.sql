-- materialized: table
-- Grain: one row per option of a breakdown category (schemas/indicators.yaml). Each category is a
-- column of the totals marts holding these option codes (NULL = all options).
select * from staging.stg_reference__breakdown_options
