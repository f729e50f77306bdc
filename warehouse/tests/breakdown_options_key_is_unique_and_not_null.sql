-- breakdown_options: one row per category x option, none of them NULL; an option names one category.
select category_code, option_code, count(*) as n
from breakdown_options
group by category_code, option_code
having count(*) > 1 or category_code is null or option_code is null
union all
select any_value(category_code), option_code, count(*)
from breakdown_options
group by option_code
having count(*) > 1
