-- Every submission whose recorded facts differ between the raw layer (pipeline) and the base
-- warehouse's copy of it: a new or changed row of raw.submissions (verdict, counts), of its
-- issues, its Data Docs page or a validator's decision, either way. Values are written and dropped
-- together with their submission's row (transforms/load.py, notify), so they need no comparison.
-- period_key: the submission's period, '' for none; both sides', should it ever differ.
create or replace temp table changed_submissions as
with

rows_changed as (
    (select * from pipeline.raw.submissions except select * from base.raw.submissions)
    union all
    (select * from base.raw.submissions except select * from pipeline.raw.submissions)
),

issues_changed as (
    (select * from pipeline.raw.submission_issues except all select * from base.raw.submission_issues)
    union all
    (select * from base.raw.submission_issues except all select * from pipeline.raw.submission_issues)
),

docs_changed as (
    (select * from pipeline.raw.submission_data_docs except select * from base.raw.submission_data_docs)
    union all
    (select * from base.raw.submission_data_docs except select * from pipeline.raw.submission_data_docs)
),

decisions_changed as (
    (select * from pipeline.raw.review_decisions except select * from base.raw.review_decisions)
    union all
    (select * from base.raw.review_decisions except select * from pipeline.raw.review_decisions)
),

ids as (
    select submission_id from rows_changed
    union select submission_id from issues_changed
    union select submission_id from docs_changed
    union select submission_id from decisions_changed
)

select ids.submission_id, coalesce(s.period, '') as period_key
from ids
left join pipeline.raw.submissions as s using (submission_id)
union
select ids.submission_id, coalesce(s.period, '') as period_key
from ids
join base.raw.submissions as s using (submission_id)
