-- Enum types with their labels in sort order.
SELECT n.nspname AS schema,
       t.typname AS name,
       (SELECT coalesce(json_agg(e.enumlabel ORDER BY e.enumsortorder), '[]')
          FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid) AS labels,
       obj_description(t.oid, 'pg_type') AS comment,
       (SELECT coalesce(json_agg(json_build_object(
                   'grantee', CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
                   'privilege', a.privilege_type, 'grantable', a.is_grantable)
                 ORDER BY 1, 2), '[]')
          FROM aclexplode(coalesce(t.typacl, acldefault('T', t.typowner))) a
         WHERE a.grantee <> t.typowner) AS grants
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
 WHERE t.typtype = 'e'
   AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND NOT (n.nspname = ANY ($2::text[]))
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_type'::regclass
                      AND d.objid = t.oid AND d.deptype = 'e')
