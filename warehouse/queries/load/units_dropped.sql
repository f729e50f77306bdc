-- units_dropped: each loaded file that replaces its sender's accepted file for the period (the
-- latest accepted one received before it, as int_submissions_versioned says: the lifecycle's one
-- definition) and leaves out units that file reported. One row per new file: the units dropped
-- (sorted, comma-separated) and the replaced file's name. $ids: the submissions being loaded.
with accepted as (
    select submission_id, sender_code, period_code, file_name, received_at
    from intermediate.int_submissions_versioned
    where is_accepted and period_code is not null
),
new_files as (
    select * from accepted where submission_id in (select unnest($ids))
),
replaced as (
    select n.submission_id,
           arg_max(p.submission_id, (p.received_at, p.submission_id)) as previous_id,
           arg_max(p.file_name, (p.received_at, p.submission_id)) as previous_name
    from new_files n
    join accepted p
      on p.sender_code = n.sender_code and p.period_code = n.period_code
     and (p.received_at, p.submission_id) < (n.received_at, n.submission_id)
    group by n.submission_id
),
units as (
    select distinct submission_id, unit_code
    from raw.unit_report_values where not is_declared_total
),
dropped as (
    select r.submission_id, r.previous_name, u.unit_code
    from replaced r
    join units u on u.submission_id = r.previous_id
    where not exists (
        select 1 from units mine where mine.submission_id = r.submission_id and mine.unit_code = u.unit_code
    )
)
select submission_id, string_agg(unit_code, ', ' order by unit_code) as units, any_value(previous_name) as previous
from dropped
group by submission_id
order by submission_id
