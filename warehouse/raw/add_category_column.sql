-- A category of the catalogue (schemas/indicators.yaml) as a column of the raw values, NULL = all
-- options: every value stored before the category existed is a total for it, and stays valid.
-- transforms/warehouse.py (create_raw_tables) replaces category_column by the category's code, an
-- identifier transforms/catalogue.py checks when it reads the catalogue.
alter table raw.unit_report_values add column if not exists category_column varchar
