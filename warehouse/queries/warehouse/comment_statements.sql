-- The COMMENT statements that document the marts, one per table and column, from the frame
-- docs_frame(table_name, column_name, description) registered by transforms/mart_docs.py
-- (column_name NULL = the table's own comment). Identifiers are double-quoted and text literals
-- single-quoted here, with their quotes doubled, so that no description can end a statement.
select string_agg(
    case
        when column_name is null then format(
            'comment on table main."{}" is ''{}'';',
            replace(table_name, '"', '""'), replace(description, '''', '''''')
        )
        else format(
            'comment on column main."{}"."{}" is ''{}'';',
            replace(table_name, '"', '""'), replace(column_name, '"', '""'), replace(description, '''', '''''')
        )
    end,
    chr(10)
) as statements
from docs_frame
