-- Tables (ordinary, partitioned, partitions) with table-level properties.
SELECT n.nspname AS schema,
       c.relname AS name,
       c.relpersistence = 'u' AS unlogged,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
       CASE WHEN c.relispartition THEN
         (SELECT json_build_object('parent', json_build_object('schema', pn.nspname, 'name', pc.relname),
                                   'bound', pg_get_expr(c.relpartbound, c.oid))
            FROM pg_catalog.pg_inherits i
            JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
            JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
           WHERE i.inhrelid = c.oid) END AS partition_of,
       CASE WHEN NOT c.relispartition THEN
         (SELECT coalesce(json_agg(json_build_object('schema', pn.nspname, 'name', pc.relname)
                                   ORDER BY i.inhseqno), '[]')
            FROM pg_catalog.pg_inherits i
            JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
            JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
           WHERE i.inhrelid = c.oid) ELSE '[]' END AS inherits,
       CASE c.relreplident WHEN 'f' THEN 'full' WHEN 'n' THEN 'nothing'
         WHEN 'i' THEN (SELECT 'index:' || ic.relname FROM pg_catalog.pg_index i
                          JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
                         WHERE i.indrelid = c.oid AND i.indisreplident) END AS replica_identity,
       c.relrowsecurity AS rls_enabled,
       c.relforcerowsecurity AS rls_forced,
       -- In stored order (as declared); the TOAST table's options with their `toast.` prefix.
       (SELECT coalesce(json_agg(o ORDER BY k, n), '[]')
          FROM (SELECT 0 AS k, o, n FROM unnest(c.reloptions) WITH ORDINALITY x(o, n)
                UNION ALL
                SELECT 1, 'toast.' || o, n
                  FROM pg_catalog.pg_class t, unnest(t.reloptions) WITH ORDINALITY x(o, n)
                 WHERE t.oid = c.reltoastrelid) opts) AS options,
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
 WHERE c.relkind IN ('r', 'p')
   AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND NOT (n.nspname = ANY ($2::text[]))
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::regclass
                      AND d.objid = c.oid AND d.deptype = 'e')
