-- The old units whose figures restate exactly onto a unit of today's map (reference/year_crosswalk.sql,
-- registered as cc_crosswalk_frame; empty when no year that straddles the reform is checked).
create or replace temp table cc_crosswalk as
select old_code, current_code, predecessors from cc_crosswalk_frame
