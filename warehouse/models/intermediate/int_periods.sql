-- materialized: view
-- Grain: one row per period code (year, half-year, quarter, month) for 2000-2035.
-- For now a period covers calendar dates: 2024S1 = 2024-01-01 .. 2024-06-30 (end_date inclusive).
with

years as (
    select unnest(generate_series(2000, 2035)) as period_year
),

years_periods as (
    select period_year, cast(period_year as varchar) as period_code, 'year' as period_type,
           make_date(period_year, 1, 1) as start_date, make_date(period_year, 12, 31) as end_date
    from years
),

halves as (
    select period_year, period_year || 'S' || h as period_code, 'half_year' as period_type,
           make_date(period_year, 6 * (h - 1) + 1, 1) as start_date,
           last_day(make_date(period_year, 6 * h, 1)) as end_date
    from years, range(1, 3) as t(h)
),

quarters as (
    select period_year, period_year || 'Q' || q as period_code, 'quarter' as period_type,
           make_date(period_year, 3 * (q - 1) + 1, 1) as start_date,
           last_day(make_date(period_year, 3 * q, 1)) as end_date
    from years, range(1, 5) as t(q)
),

months as (
    select period_year, period_year || lpad(cast(m as varchar), 2, '0') as period_code, 'month' as period_type,
           make_date(period_year, m, 1) as start_date,
           last_day(make_date(period_year, m, 1)) as end_date
    from years, range(1, 13) as t(m)
),

unioned as (
    select * from years_periods
    union all select * from halves
    union all select * from quarters
    union all select * from months
)

select * from unioned
