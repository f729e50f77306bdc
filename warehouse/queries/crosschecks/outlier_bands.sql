-- The expected range of every figure in cc_stats, computed once. A band is median +- $k robust
-- standard deviations of ln(1 + x) (MAD x $mad_to_sd, floored at $scale_floor), back on the scale
-- of the figures; the range is the union of the history's band (with the history's own min..max)
-- when it has at least $min_history periods and the peers' band when there are at least
-- $min_peers peers. A figure neither can judge is `unjudged` (history_too_short); one outside its
-- range (rounded outwards to whole numbers) is `flagged` (value_outlier).
create or replace temp table cc_bands as
with

usable as (
    select
        *,
        history_n >= $min_history as history_ok,
        peers_n >= $min_peers as peers_ok,
        greatest($mad_to_sd * history_d, $scale_floor) as history_scale,
        greatest($mad_to_sd * peers_d, $scale_floor) as peers_scale
    from cc_stats
),

bands as (
    select
        *,
        history_ok or peers_ok as judged,
        least(
            case when history_ok then least(exp(history_m - $k * history_scale) - 1, history_low) end,
            case when peers_ok then exp(peers_m - $k * peers_scale) - 1 end
        ) as low_exact,
        greatest(
            case when history_ok then greatest(exp(history_m + $k * history_scale) - 1, history_high) end,
            case when peers_ok then exp(peers_m + $k * peers_scale) - 1 end
        ) as high_exact
    from usable
)

select
    submission_id, row_number, unit_code, indicator_code, value, judged,
    case when history_ok then history_n else 0 end as history_used,
    case when peers_ok then peers_n else 0 end as peers_used,
    greatest(0, floor(round(low_exact, 6))) as low,
    ceil(round(high_exact, 6)) as high,
    judged and (value < greatest(0, floor(round(low_exact, 6))) or value > ceil(round(high_exact, 6))) as flagged
from bands
