-- Views and materialized views.
SELECT n.nspname AS schema,
       c.relname AS name,
       c.relkind = 'm' AS materialized,
       pg_get_viewdef(c.oid) AS definition,
       coalesce(c.reloptions, '{}') AS options,
       dsc.description AS comment,
       -- No ACL is the default privileges: the owner's alone, none granted to others.
       CASE WHEN c.relacl IS NULL THEN '[]' ELSE
         (SELECT coalesce(json_agg(json_build_object(
                     'grantee', CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
                     'privilege', a.privilege_type, 'grantable', a.is_grantable)
                   ORDER BY 1, 2), '[]')
            FROM aclexplode(c.relacl) a
           WHERE a.grantee <> c.relowner) END AS grants
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_description dsc
         ON dsc.objoid = c.oid AND dsc.classoid = 'pg_catalog.pg_class'::regclass AND dsc.objsubid = 0
 WHERE c.relkind IN ('v', 'm')
   AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND NOT (n.nspname = ANY ($2::text[]))
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::regclass
                      AND d.objid = c.oid AND d.deptype = 'e')
