-- The published warehouse, read-only (readers may have it open too), to see whether anything
-- changed before a copy of it is patched. ? = its path.
attach ? as base (read_only)
