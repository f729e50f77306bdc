-- One row saying how the warehouse was built: the models key (transforms/warehouse.py models_key:
-- a hash of every model, the raw DDL and the catalogue's categories; when it differs, the next
-- publish is a full build), the kind of build (full | incremental) and, for an incremental one,
-- the periods it rebuilt ('' = files that declared no period). transforms/incremental.py updates
-- it. $key.
create schema if not exists meta;
create or replace table meta.build (
    models_key      varchar not null,
    build_kind      varchar not null,
    rebuilt_periods varchar[] not null
);
insert into meta.build values ($key, 'full', [])
