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
