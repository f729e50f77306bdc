-- materialized: view
-- Grain: one row per window (nine months, phase) x grain x unit (province or district) x indicator x
-- breakdown that any part of the window's tiling reported. A window's figure follows the indicator's
-- time aggregation (the window_value macro, over over_time): the sum of the tiling's parts for a flow, the last part's
-- for a stock; `value` only when every part of the tiling has a figure (parts_reported =
-- parts_in_window), `value_so_far` from the parts that have one. Windows whose parts lie on both
-- sides of the 2025 reform (2021-2025) are not here: a province code before and after 2025-07-01
-- names different provinces, so such a window is defined only on today's map.
-- A view: a window's rows depend on several periods, so it is computed from the patched totals
-- when read (an incremental publish patches tables by period).
with

parts as (
    select windows.*, periods.after_reform
    from main.period_windows as windows
    join intermediate.int_periods as periods on periods.period_code = windows.period_code
),

one_map as (  -- the tilings wholly before or wholly after the reform, with their size
    select window_code, grain, count(*) as parts_in_window
    from parts
    group by window_code, grain
    having count(distinct after_reform) = 1
),

figures as (
    select
        'province' as unit_level,
        province_code as unit_code,
        province_name as unit_name,
        * exclude (province_name, reported_units, expected_senders, reporting_senders)
    from main.province_totals
    union all by name
    select
        'district' as unit_level,
        district_code as unit_code,
        district_name as unit_name,
        * exclude (district_code, district_name, province_name, reported_units, expected_senders, reporting_senders)
    from main.district_totals
),

aggregation as (
    select indicator_code, time_aggregation from main.indicators
)

select
    parts.window_code,
    parts.window_type,
    parts.grain,
    figures.unit_level,
    figures.unit_code,
    any_value(figures.unit_name order by parts.start_date desc) as unit_name,
    any_value(figures.province_code) as province_code,
    figures.indicator_code,
    figures.breakdown,
    figures.* exclude (
        unit_level, unit_code, unit_name, province_code, period, indicator_code, breakdown, value
    ),
    any_value(aggregation.time_aggregation) as time_aggregation,
    window_value(aggregation.time_aggregation, figures.value, parts.start_date, one_map.parts_in_window) as value,
    window_value_so_far(aggregation.time_aggregation, figures.value, parts.start_date) as value_so_far,
    count(figures.value) as parts_reported,
    any_value(one_map.parts_in_window) as parts_in_window
from parts
join one_map using (window_code, grain)
join figures on figures.period = parts.period_code
join aggregation using (indicator_code)
group by all
