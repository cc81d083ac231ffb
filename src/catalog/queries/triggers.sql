-- User triggers (internal FK triggers and triggers cloned onto partitions left out).
SELECT n.nspname AS schema,
       c.relname AS "table",
       t.tgname AS name,
       pg_get_triggerdef(t.oid) AS definition,
       json_build_object('schema', pn.nspname, 'name', p.proname) AS function,
       t.tgconstraint <> 0 AS "constraint",
       t.tgenabled AS enabled,
       obj_description(t.oid, 'pg_trigger') AS comment
  FROM pg_catalog.pg_trigger t
  JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
  JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
 WHERE NOT t.tgisinternal AND t.tgparentid = 0
   AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND NOT (n.nspname = ANY ($2::text[]))
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::regclass
                      AND d.objid = c.oid AND d.deptype = 'e')
