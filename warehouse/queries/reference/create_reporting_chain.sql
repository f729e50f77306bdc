-- The reporting chain seed (raw.reporting_chain), one row per epoch x sender level x what it
-- reports: written from schemas/reporting_chain.yaml (transforms/chain.py: epochs()).
create schema if not exists raw;

create or replace table raw.reporting_chain (
    valid_from   date not null,     -- inclusive
    valid_to     date,              -- exclusive; NULL = still in force
    sender_level varchar not null,  -- province | district | commune | body
    reports      varchar not null,  -- own (its own row) | communes (a row per commune under it)
    is_expected  boolean not null   -- counted in completeness and reporting_status
);
