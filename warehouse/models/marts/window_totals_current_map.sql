-- materialized: view
-- Grain: one row per window (nine months, phase) x grain x province of today's map x indicator x
-- breakdown that any part of the window's tiling reported: every window on today's map, also those
-- whose parts lie on both sides of the 2025 reform (2021-2025; 2025N9 = 2025S1, restated, + 2025Q3),
-- which window_totals leaves out. Built like window_totals, from province_totals_current_map: the
-- indicator's time aggregation (the window_value macro, over over_time: the sum for a flow, the last part's for a
-- stock), `value` only when every part of the tiling has a figure, `value_so_far` from those that do.
-- A view: a window's rows depend on several periods, so it is computed from the patched totals
-- when read (an incremental publish patches tables by period).
with

parts as (
    select * from main.period_windows
),

sizes as (
    select window_code, grain, count(*) as parts_in_window
    from parts
    group by window_code, grain
),

figures as (
    select * from main.province_totals_current_map
),

aggregation as (
    select indicator_code, time_aggregation from main.indicators
)

select
    parts.window_code,
    parts.window_type,
    parts.grain,
    figures.current_province_code,
    any_value(figures.current_province_name) as current_province_name,
    figures.indicator_code,
    figures.breakdown,
    figures.* exclude (  -- the breakdown's columns, one per category of the catalogue
        period, current_province_code, current_province_name, indicator_code, breakdown, value, exactness,
        is_restated, period_province_codes, reported_units, expected_senders, reporting_senders
    ),
    any_value(aggregation.time_aggregation) as time_aggregation,
    window_value(aggregation.time_aggregation, figures.value, parts.start_date, sizes.parts_in_window) as value,
    window_value_so_far(aggregation.time_aggregation, figures.value, parts.start_date) as value_so_far,
    count(figures.value) as parts_reported,
    any_value(sizes.parts_in_window) as parts_in_window,
    count(*) filter (where figures.is_restated) as parts_restated
from parts
join sizes using (window_code, grain)
join figures on figures.period = parts.period_code
join aggregation using (indicator_code)
group by all
