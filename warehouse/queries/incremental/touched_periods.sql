-- The periods an incremental build rebuilds, in order.
select period_key from touched_periods order by period_key
