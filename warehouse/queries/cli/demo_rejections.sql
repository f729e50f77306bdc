-- `danvan demo`: why files were rejected (row = the row the sender sees in the file).
select
    s.sender_code as sender,
    s.file_name as file,
    i.row_number as "row",
    i.column_name as "column",
    i.value,
    i.issue_code,
    i.message_vi
from submission_issues as i
join submissions as s using (submission_id)
where i.severity = 'error'
order by s.file_name, i.row_number nulls first
