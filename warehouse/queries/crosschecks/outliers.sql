-- value_outlier: the figures outside their expected range.
select submission_id, row_number, unit_code, indicator_code, value, low, high, history_used, peers_used
from cc_bands
where flagged
order by submission_id, row_number, indicator_code
