-- The outlier statistics of the figures being judged, filled one period at a time by
-- outlier_stats.sql (the memory of median and MAD, which DuckDB cannot spill, follows one period).
create or replace temp table cc_stats (
    submission_id varchar,
    row_number integer,
    unit_code varchar,
    indicator_code varchar,
    value bigint,
    history_n bigint,
    history_m double,
    history_d double,
    history_low bigint,
    history_high bigint,
    peers_n bigint,
    peers_m double,
    peers_d double
)
