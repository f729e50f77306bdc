-- raw.commune_crosswalk from schemas/reference/crosswalk_2025.csv, read by read_csv_text
-- (`csv_rows`), with its provenance: the file it was read from ($file) and the sha256 of its bytes
-- when seeded ($sha256; schemas/reference/PROVENANCE.md lists the published one).
create or replace table raw.commune_crosswalk as
select *, $file as source_file, $sha256 as source_sha256
from csv_rows
