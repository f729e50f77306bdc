-- What the base warehouse was built from: its models key (transforms/incremental.py). A file
-- without the table (built before incremental publishing) has none: it gets a full build.
select models_key from base.meta.build
