-- The scratch build's reference table raw.reference_table, from the base warehouse (built under the
-- same models key, so from the same reference inputs: transforms/warehouse.py models_key).
create or replace table raw.reference_table as select * from base.raw.reference_table
