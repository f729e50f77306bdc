-- materialized: table
-- Grain: one row per edge of the 2025 crosswalk: an old unit (commune, or an old district's area)
-- -> one of today's communes, with the split and exactness flags the current-map marts use and the
-- provenance of the table (the file and its sha256). Reference: join old figures on
-- (old_unit_code, a period ending before 2025-07-01), never on a code alone.
select * from intermediate.int_commune_crosswalk
