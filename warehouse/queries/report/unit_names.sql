-- A unit's official name, short name and type as of $day (the latest version starting by then).
select unit_name, unit_short_name, unit_type
from admin_units
where unit_code = $code and valid_from <= $day::date
qualify row_number() over (order by valid_from desc) = 1
