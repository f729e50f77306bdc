-- The tilings of a window ($code: `2024N9`, `2018-2020`): per grain, the reported periods that make
-- it up (period_windows), coarsest grain first, each tiling in date order.
select grain, period_code
from period_windows
where window_code = $code
order by case grain when 'year' then 1 when 'half_year' then 2 when 'quarter' then 3 else 4 end, start_date
