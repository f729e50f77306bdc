-- Put the scratch build's rows of target_relation (all of them are of the touched periods) into
-- the base warehouse, by column name.
insert into base.target_relation by name select * from target_relation
