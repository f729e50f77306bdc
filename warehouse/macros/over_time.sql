-- over_time: a window's figure from its consecutive parts' figures, in time order (a year from S1
-- and S2; the nine-month window and the phases from their tiling in period_windows): the sum for a
-- flow (time_aggregation `sum`), the last part's for a stock (`last`: the value at the end of the
-- window; schemas/indicators.yaml). NULL when any part has no figure: a window is never guessed from
-- part of it. The one home of the time-aggregation rule: window_totals, the year-vs-halves check and
-- the README's year queries call it.
create or replace macro over_time(time_aggregation, ordered_values) as
    case
        when ordered_values is null or len(ordered_values) = 0 then null
        when list_count(ordered_values) < len(ordered_values) then null
        when time_aggregation = 'last' then ordered_values[-1]
        else cast(list_sum(ordered_values) as bigint)
    end;

-- window_value / window_value_so_far: over_time as an aggregate over a window's rows, one row per
-- part: `figure` of the part starting on `part_start`, the tiling having `parts_in_window` parts.
-- window_value is NULL until every part has a figure; window_value_so_far takes the parts that
-- have one. window_totals and window_totals_current_map call them.
create or replace macro window_value(time_aggregation, figure, part_start, parts_in_window) as
    case when count(figure) = any_value(parts_in_window) then over_time(
        any_value(time_aggregation), list(figure order by part_start)
    ) end;

create or replace macro window_value_so_far(time_aggregation, figure, part_start) as
    over_time(any_value(time_aggregation), list(figure order by part_start) filter (where figure is not null));
