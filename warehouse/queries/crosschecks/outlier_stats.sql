-- One row per non-zero figure of a file being loaded for period $period, with the statistics of
-- its history and its peers (their non-zero figures), on ln(1 + x) in DOUBLE so that no figure
-- can overflow. $periods: $period and the earlier periods of its kind, the only ones it is judged
-- against (a filter on the model's partition key: the other periods are never read).
insert into cc_stats by name
with

unit_values as (  -- the warehouse's figures: a unit's own report wins, then the lowest-level sender
    select period_code as period, unit_code, indicator_code, value
    from intermediate.int_unit_report_values_current
    where breakdown = 'total'  -- totals only: a breakdown is judged through its total
      and list_contains($periods::varchar[], period_code)
),

located as (
    select v.period, v.unit_code, v.indicator_code, v.value, p.period_type, p.end_date,
           u.unit_level, u.unit_name, u.province_code
    from unit_values as v
    join cc_periods as p on p.period_code = v.period
    join cc_units as u on u.period_code = v.period and u.unit_code = v.unit_code
    where v.value > 0
),

judged as (
    select v.submission_id, v.row_number, v.unit_code, v.indicator_code, v.value, v.period,
           p.period_type, p.start_date, u.unit_level, u.unit_name, u.province_code
    from cc_values as v
    join cc_arrived using (submission_id)
    join cc_periods as p on p.period_code = v.period
    left join cc_units as u on u.period_code = v.period and u.unit_code = v.unit_code
    where v.value > 0 and v.breakdown = 'total' and v.period = $period
),

history as (  -- the same unit (same code, level, name and province: codes were reused in 2025)
    select j.submission_id, j.row_number, j.indicator_code, count(*) as n,
           median(ln(1 + h.value::double)) as m, mad(ln(1 + h.value::double)) as d,
           min(h.value) as low, max(h.value) as high
    from judged as j
    join located as h
        on h.unit_code = j.unit_code and h.indicator_code = j.indicator_code
       and h.period_type = j.period_type and h.end_date < j.start_date
       and h.unit_level = j.unit_level and h.unit_name = j.unit_name
       and h.province_code = j.province_code
    group by all
),

peers as (  -- the unit itself is in its group: one figure barely moves a median or a MAD
    select period, province_code, unit_level, indicator_code, count(*) as n,
           median(ln(1 + value::double)) as m, mad(ln(1 + value::double)) as d
    from located
    where period = $period
    group by all
)

select j.submission_id, j.row_number, j.unit_code, j.indicator_code, j.value,
       coalesce(h.n, 0) as history_n, h.m as history_m, h.d as history_d,
       h.low as history_low, h.high as history_high,
       coalesce(g.n, 0) - (s.unit_code is not null)::int as peers_n, g.m as peers_m, g.d as peers_d
from judged as j
left join history as h using (submission_id, row_number, indicator_code)
left join peers as g
    on g.period = j.period and g.province_code = j.province_code
   and g.unit_level = j.unit_level and g.indicator_code = j.indicator_code
left join located as s
    on s.period = j.period and s.unit_code = j.unit_code and s.indicator_code = j.indicator_code
