-- raw.commune_crosswalk from schemas/reference/crosswalk_2025.csv ($path), with its provenance: the
-- file it was read from ($file) and the sha256 of its bytes when seeded ($sha256;
-- schemas/reference/PROVENANCE.md lists the published one). Every column VARCHAR: codes keep their
-- leading zeros.
create or replace table raw.commune_crosswalk as
select *, $file as source_file, $sha256 as source_sha256
from read_csv($path, all_varchar = true, header = true)
