-- Installed extensions (plpgsql, installed everywhere by default, is left out).
SELECT e.extname AS name,
       n.nspname AS schema,
       e.extversion AS version,
       obj_description(e.oid, 'pg_extension') AS comment
  FROM pg_catalog.pg_extension e
  JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname <> 'plpgsql'
   AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]) OR n.nspname = 'public')
   AND NOT (n.nspname = ANY ($2::text[]))
