-- Each incoming submission with the submission it duplicates: the sender's first file with the
-- same bytes (by received_at, then id), among those held and those arriving.
create or replace temp table incoming_final as
with

everything as (
    select submission_id, sender_code, file_sha256, received_at from raw.submissions
    union all
    select submission_id, sender_code, file_sha256, cast(received_at as timestamptz) from incoming
),

firsts as (
    select sender_code, file_sha256,
           arg_min(submission_id, (received_at, submission_id)) as original_id
    from everything
    group by all
)

select incoming.*,
       case when firsts.original_id <> incoming.submission_id then firsts.original_id end as duplicate_of_id
from incoming
left join firsts
    on firsts.sender_code is not distinct from incoming.sender_code
   and firsts.file_sha256 = incoming.file_sha256
