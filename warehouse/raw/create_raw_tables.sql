-- The raw layer: written only by the ingest DAG's `load` task (transforms/load.py), one
-- transaction per run, delete+insert keyed by submission_id so reruns give the same rows.
create schema if not exists raw;

-- One row per received file (a receipt and its verdict). Status `superseded` is derived in marts.
create table if not exists raw.submissions (
    submission_id   varchar primary key,
    sender_code     varchar,
    period          varchar,          -- as declared in the file (NULL when missing or mixed)
    file_name       varchar not null,
    file_sha256     varchar not null,
    archive_path    varchar not null,
    received_at     timestamptz not null,
    file_format     varchar,
    shape           varchar,          -- wide | long | unknown | unreadable
    verdict         varchar not null, -- accepted | accepted_with_warnings | rejected | duplicate
    duplicate_of    varchar,
    error_count     integer not null,
    warning_count   integer not null,
    unit_row_count  integer
);

-- One row per problem found in a submission.
create table if not exists raw.submission_issues (
    submission_id   varchar not null,
    row_number      integer,
    column_name     varchar,
    unit_code       varchar,
    issue_code      varchar not null,
    severity        varchar not null,
    value           varchar,
    message_vi      varchar not null,
    message_en      varchar not null
);

-- One row per accepted submission x unit row x indicator x breakdown. value NULL = reported as not
-- available. A value is (unit, period, indicator, one option per category it is broken down by, or
-- none): one nullable column per category of schemas/indicators.yaml (NULL = all options), added
-- by the loader (add_category_column.sql: a new category is one catalogue edit, and every value
-- stored before it is a total for it); `breakdown` is their key ('total', 'field=kinh_te',
-- 'field=kinh_te;holder=tap_the': categories in alphabetical order). Figures derived from their
-- parts (a file with parts and no total) are stored like reported ones.
create table if not exists raw.unit_report_values (
    submission_id     varchar not null,
    row_number        integer not null,
    unit_code         varchar not null,
    is_declared_total boolean not null,
    indicator_code    varchar not null,
    breakdown         varchar not null default 'total',
    value             bigint
);
-- a pipeline file from before breakdowns: every value it holds is a total
alter table raw.unit_report_values add column if not exists breakdown varchar default 'total';

-- One row per submission validated in a batch that has a Data Docs page: the page of the suite run
-- that found its worst problem (else its batch's `submissions` run). Written by `load`, keyed like it.
create table if not exists raw.submission_data_docs (
    submission_id   varchar primary key,
    data_docs_path  varchar not null
);

-- A validator's decisions (transforms/review.py), appended and never updated or deleted: the latest
-- accept/reject overrides the pipeline's verdict, a reopen cancels it. decision_id is a hash of the
-- row, so a retried write of the same decision is a no-op.
create table if not exists raw.review_decisions (
    decision_id     varchar primary key,
    submission_id   varchar not null,
    decision        varchar not null, -- accept | reject | reopen
    reason          varchar not null,
    decided_by      varchar not null,
    decided_at      timestamptz not null
);

-- One row per submission whose feedback (transforms/feedback.py) has been written to the outbox,
-- by `notify`. What is due and not here is written by the next run (a run killed after load's
-- commit loses no feedback). Never copied to the warehouse.
create table if not exists raw.feedback_sent (
    submission_id   varchar primary key
);
