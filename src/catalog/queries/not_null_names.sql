-- PostgreSQL 18+: NOT NULL constraints are pg_constraint rows with names; report those whose
-- name is not the one Postgres generates, so it can be kept. The generated name is left out
-- here rather than by the inspector: on a large catalog it is nearly every row.
SELECT n.nspname AS schema,
       c.relname AS "table",
       a.attname AS "column",
       k.conname AS name,
       k.connoinherit AS no_inherit
  FROM pg_catalog.pg_constraint k
  JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  -- Only columns with a NOT NULL constraint (attnotnull, valid or not), in a subquery kept
  -- apart: hashed in one scan rather than looked up by index once per constraint.
  JOIN (SELECT a.attrelid, a.attnum, a.attname
          FROM pg_catalog.pg_attribute a
         WHERE a.attnotnull AND a.attnum > 0
        OFFSET 0) a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
 WHERE k.contype = 'n' AND k.conislocal
   AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND NOT (n.nspname = ANY ($2::text[]))
   AND k.conname <> c.relname || '_' || a.attname || '_not_null'
