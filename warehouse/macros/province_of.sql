-- province_of: the province a unit belongs to, from its own level and code, its parent's code and
-- level, and its parent's parent's code. A province is its own; a district's parent is its province;
-- a commune under a district belongs to the district's parent; a commune without one (after the
-- 2025 reform) to its parent. The one home of this rule: int_period_units and int_reporting_chain
-- call it (dbt would call this a macro; DuckDB has them).
create or replace macro province_of(unit_level, unit_code, parent_code, parent_level, grandparent_code) as
    case
        when unit_level = 'province' then unit_code
        when unit_level = 'district' then parent_code
        when parent_level = 'district' then grandparent_code
        else parent_code
    end;
