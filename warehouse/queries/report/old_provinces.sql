-- The provinces before the 2025 reform that went wholly into the province of today's map $code
-- (the province crosswalk): a pre-reform period of its report on today's map is theirs.
select old_province_code
from staging.stg_reference__province_crosswalk
where current_province_code = $code
order by old_province_code
