-- raw.province_crosswalk from schemas/reference/province_crosswalk_2025.csv, read by
-- read_csv_text (`csv_rows`), with its provenance ($file, $sha256 of its bytes when seeded).
create or replace table raw.province_crosswalk as
select *, $file as source_file, $sha256 as source_sha256
from csv_rows
