-- units_dropped: each loaded file that replaces its sender's current accepted file for the period
-- (the latest accepted one received before it, not rejected by a validator) and leaves out units
-- that file reported. One row per new file: the units dropped (sorted, comma-separated) and the
-- replaced file's name. $ids: the submissions being loaded (already in raw.submissions).
with latest_decision as (
    select submission_id, arg_max(decision, (decided_at, decision_id)) as decision
    from raw.review_decisions group by all
),
standing as (  -- files whose figures count, as far as the raw layer says
    select s.submission_id, s.sender_code, s.period, s.file_name, s.received_at
    from raw.submissions s
    left join latest_decision d using (submission_id)
    where s.period is not null
      and (s.verdict in ('accepted', 'accepted_with_warnings') or d.decision = 'accept')
      and d.decision is distinct from 'reject'
),
new_files as (
    select * from standing where submission_id in (select unnest($ids))
),
replaced as (
    select n.submission_id,
           arg_max(p.submission_id, (p.received_at, p.submission_id)) as previous_id,
           arg_max(p.file_name, (p.received_at, p.submission_id)) as previous_name
    from new_files n
    join standing p
      on p.sender_code = n.sender_code and p.period = n.period
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
