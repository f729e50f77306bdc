-- The Data Docs page of each incoming submission that has one.
insert into raw.submission_data_docs
select submission_id, data_docs_path from incoming where data_docs_path is not null
