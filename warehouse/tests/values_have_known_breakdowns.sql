-- Every counted figure broken down by a category is broken down by one of its indicator's
-- categories, with one of the category's options.
with

options as (
    select v.period_code, v.unit_code, v.indicator_code, v.breakdown,
           unnest(string_split(v.breakdown, ';')) as pair
    from intermediate.int_unit_report_values_located as v
    where v.breakdown <> 'total'
)

select o.*
from options as o
left join indicators as i using (indicator_code)
left join breakdown_options as b
    on b.category_code = split_part(o.pair, '=', 1) and b.option_code = split_part(o.pair, '=', 2)
where b.option_code is null or not list_contains(i.breakdowns, b.category_code)
