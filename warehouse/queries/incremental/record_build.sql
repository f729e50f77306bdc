-- Record how the base warehouse was built ($key, $kind, $periods).
delete from base.meta.build;
insert into base.meta.build values ($key, $kind, $periods)
