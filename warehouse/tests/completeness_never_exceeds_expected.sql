-- completeness: accepted senders are on time or late, and never more than expected (rate <= 1).
select *
from completeness
where senders_accepted > senders_with_files
   or senders_with_files > expected_senders
   or senders_on_time + senders_late <> senders_accepted
   or completeness_rate > 1
