-- materialized: table
-- Grain: one row per window (nine_months, phase) x grain x reported period of the window at that
-- grain. A window's figures are sums of the periods files report: the tiling of a grain is the
-- coarsest reported periods no coarser than the grain that lie wholly inside the window (2024N9 at
-- half_year = 2024S1 + 2024Q3; at quarter = 2024Q1..Q3; 2021-2025 at year = 2021..2025, at
-- half_year = 2021S1..2025S2). Each tiling covers its window exactly once, day after day, so
-- summing one grain never counts a figure twice; a grain is listed only when the tiling's coarsest
-- period is of that grain (2024N9 has no year tiling). Pick the grain the data came in.
with

periods as (
    select * from intermediate.int_periods
),

windows as (
    select * from periods where is_window
),

grains as (
    select * from (values ('year', 1), ('half_year', 2), ('quarter', 3), ('month', 4)) as g (grain, grain_rank)
),

reported as (
    select
        period_code,
        period_type,
        start_date,
        end_date,
        case period_type when 'year' then 1 when 'half_year' then 2 when 'quarter' then 3 else 4 end as type_rank
    from periods
    where not is_window
),

contained as (
    select
        windows.period_code as window_code,
        windows.period_type as window_type,
        grains.grain,
        grains.grain_rank,
        reported.*
    from windows
    cross join grains
    join reported
        on reported.start_date >= windows.start_date
        and reported.end_date <= windows.end_date
        and reported.type_rank >= grains.grain_rank
),

tiling as (
    select contained.*
    from contained
    where not exists (
        select 1
        from contained as coarser
        where coarser.window_code = contained.window_code
            and coarser.grain = contained.grain
            and coarser.type_rank < contained.type_rank
            and coarser.start_date <= contained.start_date
            and coarser.end_date >= contained.end_date
    )
)

select window_code, window_type, grain, period_code, period_type, start_date, end_date
from tiling
qualify min(type_rank) over (partition by window_code, grain) = grain_rank
