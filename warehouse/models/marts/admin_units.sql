-- materialized: table
-- Grain: one row per administrative unit version (unit_code x valid_from), 2004 -> today.
-- Join reports on (unit_code, date), never on code alone: codes were reused after 2025-07-01.
select * from staging.stg_reference__admin_units
