-- Five typical analyst queries on the published warehouse (`danvan sql "..."`, or any DuckDB 2.x
-- client opened read-only on $DANVAN_HOME/warehouse.duckdb). bench/run.py times each of them
-- (`-- name:` starts a query) on sixteen national half-years, 2018S1..2025S2.
--
-- Two things to know about this data:
--   * Every indicator is a count: it adds up over units and over time (indicators.aggregation = 'sum').
--   * On 2025-07-01 districts were abolished and provinces merged, and some province codes were
--     reused for the merged province (15 was Yên Bái, then the new Lào Cai). Group by code *and*
--     name, and join units on (code, date): never on the code alone.

-- name: province_indicator_by_year
-- Every province x indicator x year over the whole history, half-years added up. 2025 straddles the
-- reform: a reused code appears once under its old name (S1) and once under the new one (S2).
select
    p.period_year as year,
    t.province_code,
    t.province_name,
    t.indicator_code,
    i.label_vi,
    sum(t.value) as value,
    count(*) as half_years_reported
from province_totals as t
join periods as p on p.period_code = t.period
join indicators as i on i.indicator_code = t.indicator_code
where p.period_type = 'half_year'
group by p.period_year, t.province_code, t.province_name, t.indicator_code, i.label_vi, i.sort_order
order by year, t.province_code, i.sort_order;

-- name: district_communes_over_time
-- One district's communes over time: documents issued by each commune of Thành phố Bắc Kạn (058),
-- one column per half-year. Districts end with 2025S1: from 2025S2 communes report to the province.
pivot (
    select commune_code, commune_name, period, value
    from commune_totals
    where district_code = '058' and indicator_code = 'documents_issued'
) on period using sum(value)
order by commune_code;

-- name: completeness_of_period
-- How complete is 2024S1? Per province: who was expected to report, who sent a file, who has an
-- accepted one. Least complete first.
select
    province_code,
    province_name,
    expected_senders,
    senders_with_files,
    senders_accepted,
    completeness_rate
from completeness
where period = '2024S1'
order by completeness_rate, province_code;

-- name: latest_flagged_submissions
-- The 20 latest submissions that were rejected or accepted with warnings, each with its problems and
-- the sender's name as of the period it reports on (a file with no valid period has no name).
with flagged as (
    select *
    from submissions
    where status in ('rejected', 'accepted_with_warnings')
    order by received_at desc, submission_id
    limit 20
)
select
    f.received_at,
    f.sender_code,
    u.unit_name as sender_name,
    f.period,
    f.file_name,
    f.status,
    i.severity,
    i.issue_code,
    i.row_number,
    i.column_name,
    i.unit_code,
    i.value,
    i.message_vi
from flagged as f
join submission_issues as i on i.submission_id = f.submission_id
left join periods as p on p.period_code = f.period
left join admin_units as u
    on u.unit_code = f.sender_code
    and u.valid_from <= p.end_date
    and (u.valid_to is null or u.valid_to > p.end_date)
order by f.received_at desc, f.submission_id, i.row_number nulls first, i.issue_code;

-- name: year_over_year_change
-- Change from 2023 to 2024 (both half-years) per province and indicator, largest relative changes
-- first. Both years are before the reform, so codes and names mean the same provinces.
select
    t.province_code,
    any_value(t.province_name) as province_name,
    t.indicator_code,
    sum(t.value) filter (where p.period_year = 2023) as value_2023,
    sum(t.value) filter (where p.period_year = 2024) as value_2024,
    value_2024 - value_2023 as change,
    round(100.0 * (value_2024 - value_2023) / nullif(value_2023, 0), 1) as change_pct
from province_totals as t
join periods as p on p.period_code = t.period
where p.period_type = 'half_year' and p.period_year in (2023, 2024)
group by t.province_code, t.indicator_code
order by abs(change_pct) desc nulls last, t.province_code, t.indicator_code;
