-- period_windows: each tiling (window x grain) covers its window exactly once, day after day: its
-- periods start on the window's first day, end on its last, and each begins the day after the
-- previous one ends. Returns the failing tilings.
with

parts as (
    select
        w.*,
        lag(w.end_date) over (partition by w.window_code, w.grain order by w.start_date) as previous_end
    from period_windows as w
)

select parts.window_code, parts.grain
from parts
join periods as p on p.period_code = parts.window_code
group by parts.window_code, parts.grain, p.start_date, p.end_date
having min(parts.start_date) <> p.start_date
    or max(parts.end_date) <> p.end_date
    or bool_or(parts.previous_end is not null and parts.start_date <> parts.previous_end + 1)
