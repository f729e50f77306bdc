-- Copy raw.submission_data_docs of the attached pipeline file into the warehouse being built.
insert into raw.submission_data_docs select * from pipeline.raw.submission_data_docs
