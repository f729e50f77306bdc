-- Copy raw.review_decisions of the attached pipeline file into the warehouse being built.
insert into raw.review_decisions select * from pipeline.raw.review_decisions
