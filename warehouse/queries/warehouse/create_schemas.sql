-- The schemas of the raw layer and of the models (marts go to main).
create schema if not exists raw;
create schema if not exists staging;
create schema if not exists intermediate;
