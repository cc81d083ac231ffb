-- Sequences, except identity-column sequences (those belong to their column).
SELECT n.nspname AS schema,
       c.relname AS name,
       format_type(s.seqtypid, NULL) AS data_type,
       s.seqstart AS start, s.seqincrement AS increment,
       s.seqmin AS min_value, s.seqmax AS max_value,
       s.seqcache AS cache, s.seqcycle AS cycle,
       c.relpersistence = 'u' AS unlogged,
       (SELECT json_build_array(json_build_object('schema', tn.nspname, 'name', tc.relname), ta.attname)
          FROM pg_catalog.pg_depend d
          JOIN pg_catalog.pg_class tc ON tc.oid = d.refobjid
          JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
          JOIN pg_catalog.pg_attribute ta ON ta.attrelid = tc.oid AND ta.attnum = d.refobjsubid
         WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
           AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype = 'a'
         LIMIT 1) AS owned_by,
       obj_description(c.oid, 'pg_class') AS comment,
       -- No ACL is the default privileges: the owner's alone, none granted to others.
       CASE WHEN c.relacl IS NULL THEN '[]' ELSE
         (SELECT coalesce(json_agg(json_build_object(
                     'grantee', CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
                     'privilege', a.privilege_type, 'grantable', a.is_grantable)
                   ORDER BY 1, 2), '[]')
            FROM aclexplode(c.relacl) a
           WHERE a.grantee <> c.relowner) END AS grants
  FROM pg_catalog.pg_sequence s
  JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND NOT (n.nspname = ANY ($2::text[]))
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                      AND d.deptype IN ('e', 'i'))
