-- Rows of the reference table raw.reference_table that differ between the scratch build (seeded
-- now from schemas/) and the base warehouse: any means every period may change (a full build).
select count(*) from (
    (select * from raw.reference_table except all select * from base.raw.reference_table)
    union all
    (select * from base.raw.reference_table except all select * from raw.reference_table)
)
