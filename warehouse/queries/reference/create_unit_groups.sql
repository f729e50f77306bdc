-- The groups of units seed (raw.unit_groups), one row per group x epoch x member: written from
-- schemas/unit_groups.yaml (transforms/groups.py: members()).
create schema if not exists raw;

create or replace table raw.unit_groups (
    group_code    varchar not null,  -- what `danvan report --group` takes (BK-CUM1)
    group_name    varchar not null,  -- as reports write it (Cụm thi đua số 1 ...)
    province_code varchar not null,  -- the province that defines it, as of the epoch
    member_level  varchar not null,  -- district | commune
    member_code   varchar not null,  -- GSO code of the member unit
    valid_from    date not null,     -- inclusive
    valid_to      date               -- exclusive; NULL = still in force
);
