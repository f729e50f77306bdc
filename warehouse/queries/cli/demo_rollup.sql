-- `danvan demo`: each district of Bắc Kạn (its communes + its own row), then the province (06),
-- for the indicators the demo shows (their totals: breakdown = 'total').
with

figures as (
    select period, district_code as district, district_name as name, indicator_code, value
    from district_totals
    where breakdown = 'total'
    union all
    select period, province_code, province_name, indicator_code, value
    from province_totals
    where province_code = '06' and breakdown = 'total'
)

select
    period,
    district,
    any_value(name) as name,
    sum(value) filter (where indicator_code = 'models_registered') as models_registered,
    sum(value) filter (where indicator_code = 'models_recognized') as models_recognized,
    sum(value) filter (where indicator_code = 'conferences_held') as conferences_held,
    sum(value) filter (where indicator_code = 'conference_attendees') as conference_attendees,
    sum(value) filter (where indicator_code = 'petitions_received') as petitions_received,
    sum(value) filter (where indicator_code = 'petitions_resolved') as petitions_resolved
from figures
group by period, district
order by period, length(district) desc, district
