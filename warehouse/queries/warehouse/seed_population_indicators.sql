-- raw.population_indicators: the indicators whose split figures follow the population the NSO note
-- "toàn bộ dân số" names (schemas/restatement.yaml, $codes).
create or replace table raw.population_indicators as
select unnest($codes::varchar[]) as indicator_code
