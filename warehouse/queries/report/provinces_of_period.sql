-- The provinces that have any figure for $period (each gets its report drafted).
select distinct province_code from province_totals where period = $period order by province_code
