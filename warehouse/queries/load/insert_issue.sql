-- One issue found in load's transaction (columns of transforms.rules.ISSUE_COLUMNS, in order).
insert into raw.submission_issues
    (submission_id, row_number, column_name, unit_code, issue_code, severity, value, message_vi, message_en)
values (?, ?, ?, ?, ?, ?, ?, ?, ?)
