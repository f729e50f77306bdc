-- materialized: table
-- partition: submission_id
-- Grain: one row per problem found in a submission (row_number NULL = about the whole file).
with

issues as (
    select * from staging.stg_danvan__submission_issues
)

select * from issues  -- the columns of the staging model, each documented in _docs.yml
