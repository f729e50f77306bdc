-- raw.province_crosswalk from schemas/reference/province_crosswalk_2025.csv ($path), with its
-- provenance ($file, $sha256 of its bytes when seeded). Every column VARCHAR.
create or replace table raw.province_crosswalk as
select *, $file as source_file, $sha256 as source_sha256
from read_csv($path, all_varchar = true, header = true)
