-- The temp tables of one crosscheck run.
drop table if exists cc_current;
drop table if exists cc_loaded;
drop table if exists cc_arrived;
drop table if exists cc_recheck;
drop table if exists cc_values;
drop table if exists cc_periods;
drop table if exists cc_units;
drop table if exists cc_stats;
drop table if exists cc_bands;
drop table if exists cc_crosswalk;
