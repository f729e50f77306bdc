-- materialized: view
-- Grain: one row per submission with a Data Docs page. Renames and casts only.
with

source as (
    select * from raw.submission_data_docs
)

select
    submission_id,
    data_docs_path
from source
