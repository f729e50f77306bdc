-- materialized: view
-- Grain: one row per indicator whose split figures follow the population the NSO note names
-- (schemas/restatement.yaml). Renames and casts only.
select indicator_code from raw.population_indicators
