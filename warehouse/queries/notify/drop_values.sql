-- A rejected submission counts no figure.
delete from raw.unit_report_values where submission_id = ?
