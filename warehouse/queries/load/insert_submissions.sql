-- A duplicate is recorded with verdict `duplicate` and no problems; it loads nothing else.
insert into raw.submissions
select submission_id, sender_code, period, file_name, file_sha256, archive_path,
       cast(received_at as timestamptz), file_format, shape,
       case when duplicate_of_id is not null then 'duplicate' else verdict end,
       duplicate_of_id,
       case when duplicate_of_id is not null then 0 else error_count end,
       case when duplicate_of_id is not null then 0 else warning_count end,
       unit_row_count
from incoming_final
