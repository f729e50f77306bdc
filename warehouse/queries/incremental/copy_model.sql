-- A table model that reads no submission (target_relation: transforms/incremental.py names it),
-- copied into the scratch build from the base warehouse, built under the same models key.
create or replace table target_relation as select * from base.target_relation
